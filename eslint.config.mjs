import tseslint from 'typescript-eslint';

// The pure libraries must stay free of frameworks and I/O (DESIGN.md decisions 8 and 9).
const impure = [
  { group: ['@nestjs/*', 'kafkajs', 'typeorm', 'pg', 'pg-*', 'rxjs', 'express'], message: 'libs/domain and libs/evaluation are pure: no framework, broker or database imports.' },
  { group: ['fs', 'node:fs', 'fs/*', 'node:fs/*', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'child_process', 'node:child_process', 'dgram', 'node:dgram'], message: 'libs/domain and libs/evaluation do no I/O.' },
  { group: ['@flagpole/kafka', '@flagpole/sdk'], message: 'Pure libraries may not depend on adapter libraries.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'infra/.kafka/**', 'infra/.data/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/domain/**/*.ts', 'libs/evaluation/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: impure }] },
  },
  {
    files: ['bench/**/*.ts', 'infra/**/*.ts', '**/scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
