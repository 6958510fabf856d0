import { useEffect, useState } from 'preact/hooks';

import type { UserProfile } from '../../emulator/protocol.ts';
import type { BotProfile } from '../protocol.ts';
import { api } from './api.ts';
import { Chat } from './chat.tsx';
import { SandboxPanel } from './sandbox-panel.tsx';
import { UserPicker } from './user-picker.tsx';

/** The user this tab plays, from `?user=<id>`; each tab keeps its own. */
const userInAddress = (): number | undefined => {
  const id = Number(new URLSearchParams(location.search).get('user'));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

function showUserInAddress(id: number | undefined) {
  const url = new URL(location.href);
  if (id === undefined) url.searchParams.delete('user');
  else url.searchParams.set('user', String(id));
  history.pushState(null, '', url);
}

export function App() {
  const [wanted, setWanted] = useState(userInAddress);
  const [users, setUsers] = useState<UserProfile[]>();
  const [bot, setBot] = useState<BotProfile>();

  // Another tab may have created users since; the list is fetched again on every switch.
  useEffect(() => {
    api.users().then(setUsers, () => setUsers([]));
  }, [wanted]);
  useEffect(() => {
    api.bot().then(setBot, () => undefined);
    const onBack = () => setWanted(userInAddress());
    addEventListener('popstate', onBack);
    return () => removeEventListener('popstate', onBack);
  }, []);

  const user = users?.find((each) => each.id === wanted);
  useEffect(() => {
    document.title = user ? `${user.first_name} · LockBay sandbox` : 'LockBay sandbox';
  }, [user]);

  const choose = (id: number | undefined) => {
    showUserInAddress(id);
    setWanted(id);
  };
  const create = async (profile: UserProfile) => {
    const created = await api.createUser(profile);
    setUsers([...(users ?? []).filter((each) => each.id !== created.id), created]);
    choose(created.id);
  };

  return (
    <div class="layout">
      <main class="main">
        {users === undefined ? null : user ? (
          <Chat key={user.id} user={user} bot={bot} onSwitchUser={() => choose(undefined)} />
        ) : (
          <UserPicker
            users={users}
            missingId={wanted}
            onChoose={(chosen) => choose(chosen.id)}
            onCreate={create}
          />
        )}
      </main>
      <SandboxPanel />
    </div>
  );
}
