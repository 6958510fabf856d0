import { LABEL_MAX_LENGTH } from '../../machines/cashout-input.ts';
import { cashoutButtons as b, cashoutChoiceButtons as c } from '../codecs/cashout.ts';
import {
  backAndCancelRow,
  cancelRow,
  describeDestination,
  railOf,
  say,
  usd,
  type Render,
  type ShownChoice,
  type ShownDestination,
} from './cashout-parts.ts';
import { view, type Button } from './view.ts';

/** The cashout's destination steps: a saved one or a new one, checked, saved or used once. */

interface SavedChoice {
  id: string;
  label: string;
  masked: string;
}

export const destinationSteps: Record<string, Render> = {
  choosingDestination: ({ data, notice }, stamp) => {
    const choice = data as unknown as ShownChoice;
    const saved = data.saved as SavedChoice[];
    const bank = choice.method === 'bank';
    const buttons = saved.map((destination): Button[] => [
      [`${destination.label} · ${destination.masked}`, c.encode('d', destination.id, stamp)],
    ]);
    return view(
      `Cash out ${usd(String(data.amountUsd))}`,
      [
        say(notice),
        bank
          ? `Send it to which account at ${railOf(choice)}?`
          : `Send it to which ${railOf(choice)} address?`,
      ],
      [
        ...buttons,
        [[bank ? 'New account' : 'New address', b.encode('new', stamp)]],
        backAndCancelRow(stamp),
      ],
    );
  },

  enteringDestination: ({ data, notice }, stamp) => {
    const choice = data as unknown as ShownChoice;
    const ask =
      choice.method === 'bank'
        ? [
            `Type the 10-digit account number (NUBAN) at ${railOf(choice)}.`,
            'The bank tells us the holder’s name before anything is sent, so you can check it.',
          ]
        : [
            `Paste the ${railOf(choice)} address that should receive the coins.`,
            'Check the network: coins sent to an address on another network are lost.',
          ];
    return view('Where to?', [say(notice), ...ask], [backAndCancelRow(stamp)]);
  },

  resolvingAccount: ({ notice }, stamp) =>
    view(
      'Checking the account…',
      [say(notice), 'Asking the bank for the account holder’s name.'],
      [cancelRow(stamp)],
    ),

  choosingSave: ({ data, notice }, stamp) => {
    const destination = data.destination as ShownDestination;
    return view(
      'Save this destination?',
      [
        say(notice),
        describeDestination(destination),
        destination.kind === 'account'
          ? 'Check the name: the money goes to whoever holds this account.'
          : null,
        'Save it for your next cashouts, or use it this once?',
      ],
      [
        [
          ['Save', b.encode('save', stamp)],
          ['Use once', b.encode('once', stamp)],
        ],
        backAndCancelRow(stamp),
      ],
    );
  },

  typingLabel: ({ data, notice }, stamp) =>
    view(
      'Name this destination',
      [
        say(notice),
        describeDestination(data.destination as ShownDestination),
        `Type a short name for it, for example Ledger or Salary (at most ${LABEL_MAX_LENGTH} characters).`,
      ],
      [backAndCancelRow(stamp)],
    ),
};
