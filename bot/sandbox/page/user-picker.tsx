import { useState } from 'preact/hooks';

import type { UserProfile } from '../../emulator/protocol.ts';

interface UserPickerProps {
  users: UserProfile[];
  /** A user the address asked for whom the emulator does not know (it forgets on restart). */
  missingId: number | undefined;
  onChoose(user: UserProfile): void;
  onCreate(user: UserProfile): Promise<void>;
}

/** Choose whom to play: a user the emulator knows, or a new one with a name and an id. */
export function UserPicker({ users, missingId, onChoose, onCreate }: UserPickerProps) {
  return (
    <section class="picker" aria-label="Choose a user">
      <h1>Who are you in this tab?</h1>
      <p class="hint">
        Each tab plays one Telegram user. Open another tab to play a second one side by side.
      </p>
      {users.length > 0 && (
        <ul class="users">
          {users.map((user) => (
            <li key={user.id}>
              <button type="button" class="user" onClick={() => onChoose(user)}>
                <strong>{user.first_name}</strong> <span class="id">{user.id}</span>
              </button>
              <a href={`?user=${user.id}`} target="_blank" rel="noopener">
                new tab ↗
              </a>
            </li>
          ))}
        </ul>
      )}
      {missingId !== undefined && (
        <p class="hint">
          User {missingId} is not on the emulator (it forgets its users when it restarts): give them
          a name to create them again.
        </p>
      )}
      <NewUserForm suggestedId={missingId ?? nextFreeId(users)} onCreate={onCreate} />
    </section>
  );
}

function NewUserForm(props: { suggestedId: number; onCreate(user: UserProfile): Promise<void> }) {
  const [name, setName] = useState('');
  const [id, setId] = useState(String(props.suggestedId));
  const [failure, setFailure] = useState<string>();

  const submit = (event: Event) => {
    event.preventDefault();
    setFailure(undefined);
    const user = { id: Number(id), first_name: name.trim() };
    props.onCreate(user).catch((error: unknown) => setFailure(String(error)));
  };

  return (
    <form class="new-user" onSubmit={submit}>
      <h2>New user</h2>
      <label>
        Name
        <input required value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </label>
      <label>
        Telegram id
        <input
          required
          inputMode="numeric"
          pattern="[1-9][0-9]{0,14}"
          value={id}
          onInput={(event) => setId(event.currentTarget.value)}
        />
      </label>
      <button type="submit">Start chatting</button>
      {failure && <p role="alert">{failure}</p>}
    </form>
  );
}

const nextFreeId = (users: UserProfile[]) => Math.max(1000, ...users.map((user) => user.id)) + 1;
