// Lint in CI (house rule 12): typescript-eslint's recommended rules; formatting is prettier's (npm run lint checks both).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'results/',
      'reports/',
      'scenarios/',
      'images/',
      'test/fixtures/',
      'test/e2e/.work/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Control characters are matched on purpose: terminal escapes in tool output, and scenario fields that must not hold them.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
