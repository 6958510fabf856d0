import { EntityBuilder, InlineKeyboardBuilder } from 'node-telegram-bot-api';
import type { InlineKeyboardMarkup, MessageEntity } from 'node-telegram-bot-api/types';

/** A rendered message: text with entities (no parse mode, so user text needs no escaping). */
export interface View {
  text: string;
  entities: MessageEntity[];
  keyboard?: InlineKeyboardMarkup;
}

/** What views need to know about the deployment. */
export interface ViewContext {
  botUsername: string;
}

export type Button = [label: string, data: string];

/** A titled message: bold title, blank line, body paragraphs, then rows of buttons. */
export function view(
  title: string,
  body: Array<string | null | undefined>,
  rows: Button[][] = [],
): View {
  const text = new EntityBuilder().bold(title);
  for (const paragraph of body) if (paragraph) text.plain(`\n\n${paragraph}`);
  const built = text.build();

  if (rows.length === 0) return built;
  return { ...built, keyboard: keyboard(rows) };
}

export function keyboard(rows: Button[][]): InlineKeyboardMarkup {
  const builder = new InlineKeyboardBuilder();
  rows.forEach((row, index) => {
    if (index > 0) builder.row();
    for (const [label, data] of row) builder.text(label, data);
  });
  return builder.build();
}

/** Fills `{name}` placeholders from values. */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** The one message a blocked user gets, whichever flow they open. */
export function suspendedView(): View {
  return view('Account suspended', [
    'Your LockBay account is suspended. Contact support for help.',
  ]);
}
