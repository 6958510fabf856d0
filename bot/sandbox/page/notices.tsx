import { useEffect, useState } from 'preact/hooks';

import type { Notice } from './chat-view.ts';

const TOAST_MS = 3_000;

interface NoticesProps {
  notice: Notice | undefined;
  failure: string | undefined;
  onDismissFailure(): void;
}

/**
 * What floats over the chat: a callback answer as a short toast, or as an alert to dismiss
 * when the bot asked for one (`show_alert`), and a request the page could not make.
 */
export function Notices({ notice, failure, onDismissFailure }: NoticesProps) {
  const [dismissed, setDismissed] = useState<number>();
  useEffect(() => {
    if (!notice || notice.alert) return;
    const timer = setTimeout(() => setDismissed(notice.seq), TOAST_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const showing = notice && dismissed !== notice.seq ? notice : undefined;
  return (
    <>
      {showing && !showing.alert && (
        <div class="toast" role="status">
          {showing.text}
        </div>
      )}
      {showing?.alert && (
        <div class="alert-backdrop">
          <div class="alert" role="alertdialog" aria-label="Message from the bot">
            <p>{showing.text}</p>
            <button type="button" onClick={() => setDismissed(showing.seq)}>
              OK
            </button>
          </div>
        </div>
      )}
      {failure && (
        <div class="failure" role="alert">
          <span>{failure}</span>
          <button type="button" class="link-button" onClick={onDismissFailure}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
