import { useEffect, useState } from 'preact/hooks';

import type { OutboxMail, ProviderSnapshot, SandboxSnapshot } from '../protocol.ts';
import { SANDBOX_STREAM_URL, api } from './api.ts';

/** The development side of the world: e-mails LockBay sent, payments waiting at providers. */
export function SandboxPanel() {
  const snapshot = useSandboxSnapshot();

  return (
    <aside class="sandbox" aria-label="Sandbox">
      <h2>E-mails</h2>
      {!snapshot && <p class="hint">Loading…</p>}
      {snapshot?.mails.length === 0 && (
        <p class="hint">No e-mails yet. Codes and receipts the bot sends show up here.</p>
      )}
      <ol class="mails">
        {snapshot?.mails.map((mail, index) => (
          <Mail key={`${mail.sentAt}-${index}`} mail={mail} />
        ))}
      </ol>

      <h2>Deposits and payouts</h2>
      {snapshot?.providers.length === 0 && (
        <p class="hint">
          No sandbox providers yet. When a payment provider gets a sandbox, its pending deposits and
          payouts appear here, with buttons to settle them.
        </p>
      )}
      {snapshot?.providers.map((provider) => (
        <Provider key={provider.name} provider={provider} />
      ))}
    </aside>
  );
}

function useSandboxSnapshot(): SandboxSnapshot | undefined {
  const [snapshot, setSnapshot] = useState<SandboxSnapshot>();
  useEffect(() => {
    const source = new EventSource(SANDBOX_STREAM_URL);
    source.onmessage = (event: MessageEvent<string>) =>
      setSnapshot(JSON.parse(event.data) as SandboxSnapshot);
    return () => source.close();
  }, []);
  return snapshot;
}

function Mail({ mail }: { mail: OutboxMail }) {
  return (
    <li class="mail">
      <div class="mail-head">
        <strong>{withCodesMarked(mail.subject)}</strong>
        <time dateTime={mail.sentAt}>{new Date(mail.sentAt).toLocaleTimeString()}</time>
      </div>
      <div class="mail-to">to {mail.to}</div>
      <p class="mail-text">{withCodesMarked(mail.text)}</p>
    </li>
  );
}

/** Six-digit codes stand out, so they are easy to read off and type into the chat. */
function withCodesMarked(text: string) {
  return text
    .split(/(\b\d{6}\b)/)
    .map((part, index) => (index % 2 === 1 ? <mark class="code">{part}</mark> : part));
}

function Provider({ provider }: { provider: ProviderSnapshot }) {
  return (
    <section class="provider" aria-label={provider.label}>
      <h3>{provider.label}</h3>
      {provider.pending.length === 0 && <p class="hint">Nothing pending.</p>}
      <ul>
        {provider.pending.map((operation) => (
          <li key={operation.id} class="operation">
            <span>
              {operation.kind} of {operation.amount} {operation.currency} · {operation.reference}
            </span>
            {operation.actions.map((action) => (
              <button
                key={action.name}
                type="button"
                onClick={() => void api.act(provider.name, operation.id, action.name)}
              >
                {action.label}
              </button>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
