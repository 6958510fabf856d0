import { buttonsOf } from './keyboard.ts';
import type { ChatEvent, EmulatedMessage } from './protocol.ts';

const INDENT = '     ';

/**
 * A chat event as a person reads it, one or more lines: `bot: …` with numbered buttons below,
 * `you: …`, `bot (edited): …`, `  › callback answer`. Shared by the terminal chat and test
 * failure messages, so both read the same.
 */
export function describeEvent(event: ChatEvent): string {
  switch (event.kind) {
    case 'message':
      return describeMessage(event.from === 'bot' ? 'bot: ' : 'you: ', event.message);
    case 'edit':
      return describeMessage('bot (edited): ', event.message);
    case 'delete':
      return `${INDENT}(message ${event.message_id} deleted)`;
    case 'callback_answer':
      return `  ${event.show_alert ? '‼' : '›'} ${event.text ?? '(button acknowledged)'}`;
    case 'chat_action':
      return `${INDENT}(${event.action.replaceAll('_', ' ')}…)`;
  }
}

/** The whole log, one event after another. */
export function describeTranscript(events: ChatEvent[]): string {
  return events.length > 0 ? events.map(describeEvent).join('\n') : '(the chat is empty)';
}

/** `[1] Get started  [2] Cancel`, numbered as `buttonsOf` orders them; '' without buttons. */
export function describeButtons(message: EmulatedMessage): string {
  const labels = buttonsOf(message).map(
    (button, index) => `[${index + 1}] ${button.text}${button.url ? ` ↗ ${button.url}` : ''}`,
  );
  return labels.join('  ');
}

function describeMessage(prefix: string, message: EmulatedMessage): string {
  const text = (message.text ?? '(no text)').replaceAll('\n', `\n${INDENT}`);
  const buttons = describeButtons(message);
  return `${prefix}${text}${buttons ? `\n${INDENT}${buttons}` : ''}`;
}
