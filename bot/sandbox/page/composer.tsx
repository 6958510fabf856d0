import { useState } from 'preact/hooks';

import type { BotCommand } from 'node-telegram-bot-api/types';

interface ComposerProps {
  commands: BotCommand[];
  onSend(text: string): void;
  /** Called when the command menu opens, to fetch the commands afresh. */
  onMenu(): void;
}

/**
 * The text box, with Telegram's command menu: the Menu button lists every command, and typing
 * `/` suggests the matching ones. Choosing a command sends it, as in Telegram.
 */
export function Composer({ commands, onSend, onMenu }: ComposerProps) {
  const [text, setText] = useState('');
  const [menuOpen, setMenuOpen] = useState(false);

  const typed = /^\/(\w*)$/.exec(text)?.[1];
  const shown = menuOpen
    ? commands
    : typed === undefined
      ? []
      : commands.filter((entry) => entry.command.startsWith(typed.toLowerCase()));

  const send = (value: string) => {
    if (value.trim() === '') return;
    onSend(value);
    setText('');
    setMenuOpen(false);
  };
  const toggleMenu = () => {
    if (!menuOpen) onMenu();
    setMenuOpen(!menuOpen);
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send(text);
      }}
    >
      {shown.length > 0 && <CommandList commands={shown} onChoose={(name) => send(`/${name}`)} />}
      <button type="button" class="menu-button" aria-expanded={menuOpen} onClick={toggleMenu}>
        Menu
      </button>
      <input
        class="composer-input"
        aria-label="Message"
        placeholder="Message"
        autocomplete="off"
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
      />
      <button type="submit" class="send-button" aria-label="Send" disabled={text.trim() === ''}>
        ➤
      </button>
    </form>
  );
}

function CommandList(props: { commands: BotCommand[]; onChoose(command: string): void }) {
  return (
    <ul class="commands" role="menu" aria-label="Bot commands">
      {props.commands.map(({ command, description }) => (
        <li key={command} role="none">
          <button type="button" role="menuitem" onClick={() => props.onChoose(command)}>
            <span class="command">/{command}</span>
            <span class="description">{description}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
