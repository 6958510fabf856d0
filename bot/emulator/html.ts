import { badRequest } from './errors.ts';

// https://core.telegram.org/bots/api#html-style
const SUPPORTED_TAGS = new Set([
  'a',
  'b',
  'blockquote',
  'code',
  'del',
  'em',
  'i',
  'ins',
  'pre',
  's',
  'span',
  'strike',
  'strong',
  'tg-emoji',
  'tg-spoiler',
  'tg-time',
  'u',
]);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const TAG = /^<(\/?)([a-z][a-z0-9-]*)(\s[^<>]*)?>$/i;

/**
 * The text a user sees for a `parse_mode: 'HTML'` message: tags dropped, entities decoded.
 * Fails with Telegram's "can't parse entities" 400 on an unsupported or unbalanced tag or a
 * stray `<` — the usual sign that user input was interpolated without escaping.
 */
export function htmlToPlain(html: string): string {
  const open: string[] = [];
  let plain = '';
  let copiedUpTo = 0;

  for (const match of html.matchAll(/<[^>]*>?/g)) {
    plain += decodeEntities(html.slice(copiedUpTo, match.index));
    copiedUpTo = match.index + match[0].length;

    const [, slash, name = ''] = TAG.exec(match[0]) ?? [];
    const where = `at byte offset ${Buffer.byteLength(html.slice(0, match.index))}`;
    const tag = name.toLowerCase();
    if (!SUPPORTED_TAGS.has(tag)) throw cantParse(`Unsupported start tag "${tag}" ${where}`);

    if (!slash) open.push(tag);
    else if (open.pop() !== tag) throw cantParse(`Unexpected end tag "${tag}" ${where}`);
  }

  const unclosed = open.pop();
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed}"`);
  return plain + decodeEntities(html.slice(copiedUpTo));
}

function decodeEntities(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z]+));/gi, (entity, hex, dec, name) => {
    const code = hex ? parseInt(hex, 16) : dec ? parseInt(dec, 10) : undefined;
    if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    return NAMED_ENTITIES[String(name).toLowerCase()] ?? entity;
  });
}

const cantParse = (detail: string) => badRequest(`can't parse entities: ${detail}`);
