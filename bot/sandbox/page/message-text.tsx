import { type ComponentChildren, h } from 'preact';

import type { MessageEntity } from 'node-telegram-bot-api/types';

import type { EmulatedMessage } from '../../emulator/protocol.ts';

// Telegram's HTML tags (https://core.telegram.org/bots/api#html-style) → what shows them here.
const HTML_TAGS: Record<string, string> = {
  b: 'strong',
  strong: 'strong',
  i: 'em',
  em: 'em',
  u: 'u',
  ins: 'u',
  s: 's',
  strike: 's',
  del: 's',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  a: 'a',
  'tg-spoiler': 'span',
};

const ENTITY_TAGS: Partial<Record<MessageEntity['type'], string>> = {
  bold: 'strong',
  italic: 'em',
  underline: 'u',
  strikethrough: 's',
  code: 'code',
  pre: 'pre',
  text_link: 'a',
  url: 'a',
  bot_command: 'span',
};

/**
 * A message's text with its formatting, built as elements from the text: bot or user text is
 * never handed to the browser as HTML. A bot's `parse_mode: 'HTML'` is read by DOMParser into
 * an inert document and only Telegram's tags are carried over, links only to web addresses.
 */
export function MessageText({ message }: { message: EmulatedMessage }) {
  if (message.html !== undefined) return <>{fromHtml(message.html)}</>;
  return <>{fromEntities(message.text ?? '', message.entities ?? [])}</>;
}

function fromHtml(html: string): ComponentChildren {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  return [...body.childNodes].map(fromNode);
}

function fromNode(node: Node): ComponentChildren {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (!(node instanceof Element)) return null;

  const children = [...node.childNodes].map(fromNode);
  const Tag = HTML_TAGS[node.tagName.toLowerCase()];
  if (!Tag) return children;
  return h(Tag, { ...linkProps(node.getAttribute('href')), class: spoilerClass(node) }, children);
}

/** Entities that do not overlap, in order; a nested entity shows as its outer one. */
function fromEntities(text: string, entities: MessageEntity[]): ComponentChildren {
  const parts: ComponentChildren[] = [];
  let at = 0;

  for (const entity of [...entities].sort((a, b) => a.offset - b.offset)) {
    const Tag = ENTITY_TAGS[entity.type];
    if (!Tag || entity.offset < at) continue;

    const inner = text.slice(entity.offset, entity.offset + entity.length);
    parts.push(text.slice(at, entity.offset));
    const href = entity.type === 'url' ? inner : entity.url;
    const className = entity.type === 'bot_command' ? 'command' : undefined;
    parts.push(h(Tag, { ...linkProps(href ?? null), class: className }, inner));
    at = entity.offset + entity.length;
  }
  parts.push(text.slice(at));
  return parts;
}

function linkProps(href: string | null) {
  if (!href || !/^(https?:|tg:|mailto:)/i.test(href)) return {};
  return { href, target: '_blank', rel: 'noopener noreferrer' };
}

const spoilerClass = (node: Element) =>
  node.tagName.toLowerCase() === 'tg-spoiler' ? 'spoiler' : undefined;
