import type { Notice } from './flow.ts';

/** Typed text of the cashout flow other than amounts and addresses. */

export const LABEL_MAX_LENGTH = 32;

export type Reading<T> = { ok: true; value: T } | { ok: false; notice: Notice };

/** A NUBAN account number is exactly ten digits; spaces between groups are forgiven. */
export function readAccountNumber(text: string): Reading<string> {
  const typed = text.replace(/\s+/g, '');
  if (!/^\d+$/.test(typed)) return refuse('account.notDigits');
  if (typed.length !== 10) return refuse('account.length', { digits: typed.length });
  return { ok: true, value: typed };
}

/** A label for a saved destination: 1–32 printable characters, unique among the user's own. */
export function readLabel(text: string, taken: readonly string[]): Reading<string> {
  const label = text.trim();
  if (label === '') return refuse('label.empty');
  if (label.length > LABEL_MAX_LENGTH) return refuse('label.tooLong', { max: LABEL_MAX_LENGTH });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(label)) return refuse('label.invalid');

  const lower = label.toLowerCase();
  if (taken.some((other) => other.toLowerCase() === lower)) return refuse('label.taken');
  return { ok: true, value: label };
}

function refuse(code: string, values?: Notice['values']): Reading<never> {
  return { ok: false, notice: values ? { code, values } : { code } };
}
