import { createHmac, randomInt } from 'node:crypto';

/**
 * One-time codes never travel or rest in the clear: the bot turns what the user typed into
 * this keyed digest before it becomes an event, and the database keeps the digest of what was
 * sent. Binding the user id stops a digest seen for one user from matching another's code.
 */
export function codeDigest(secret: string, telegramUserId: number, code: string): string {
  return createHmac('sha256', secret).update(`otp:${telegramUserId}:${code}`).digest('hex');
}

/** Six random digits from the operating system's CSPRNG. */
export function newCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** Whatever the user typed, as six digits when it is a code (spaces and dashes between). */
export function asCode(text: string): string | null {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}
