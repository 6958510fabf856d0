/**
 * A request the emulator refuses. The Bot API side answers it as Telegram does,
 * `{ ok: false, error_code: status, description: message }`; the client side as `{ error }`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Telegram's 400, worded like Telegram's: `badRequest('chat not found')`. */
export const badRequest = (detail: string) => new HttpError(400, `Bad Request: ${detail}`);
