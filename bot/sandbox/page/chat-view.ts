import type { ChatEvent, EmulatedMessage } from '../../emulator/protocol.ts';

/** A callback answer the user should see: a toast, or an alert they dismiss. */
export interface Notice {
  seq: number;
  text: string;
  alert: boolean;
}

/** What the chat shows after the events up to `seq`. */
export interface ChatView {
  seq: number;
  messages: EmulatedMessage[];
  edited: ReadonlySet<number>;
  notice: Notice | undefined;
  /** The seq of the bot's latest "typing…", until its next message. */
  typingSince: number | undefined;
}

export const emptyChat: ChatView = {
  seq: 0,
  messages: [],
  edited: new Set(),
  notice: undefined,
  typingSince: undefined,
};

/**
 * Applies chat events in order, skipping those already applied (a reconnected stream may
 * repeat some). History (`live: false`) rebuilds the messages but raises no notices.
 */
export function applyEvents(view: ChatView, events: ChatEvent[], live: boolean): ChatView {
  return events.reduce(
    (next, event) => (event.seq > next.seq ? apply(next, event, live) : next),
    view,
  );
}

function apply(view: ChatView, event: ChatEvent, live: boolean): ChatView {
  const next = { ...view, seq: event.seq };
  switch (event.kind) {
    case 'message':
      return {
        ...next,
        messages: [...without(view.messages, event.message.message_id), event.message],
        typingSince: event.from === 'bot' ? undefined : view.typingSince,
      };
    case 'edit':
      return {
        ...next,
        messages: view.messages.map((message) =>
          message.message_id === event.message.message_id ? event.message : message,
        ),
        edited: new Set(view.edited).add(event.message.message_id),
        typingSince: undefined,
      };
    case 'delete':
      return { ...next, messages: without(view.messages, event.message_id) };
    case 'callback_answer':
      return live && event.text
        ? { ...next, notice: { seq: event.seq, text: event.text, alert: event.show_alert } }
        : next;
    case 'chat_action':
      return { ...next, typingSince: live ? event.seq : undefined };
  }
}

const without = (messages: EmulatedMessage[], messageId: number) =>
  messages.filter((message) => message.message_id !== messageId);
