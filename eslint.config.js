// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', '.astro/**', 'node_modules/**', 'tests/fixtures/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The architecture's one hard boundary: src/core is pure and runs in a browser.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['astro', 'astro:*', 'astro/*', '@astrojs/*'], message: 'src/core must not import Astro.' },
            {
              group: ['unified', 'remark-*', 'rehype-*', 'vfile', 'vfile-message', '**/plugins/**'],
              message:
                'src/core must not import unified or its plugins; the remark plugin calls core, not the reverse.',
            },
            { group: ['**/cli/**', '../cli', '../../cli'], message: 'src/core must not import the CLI.' },
            {
              group: ['**/pages/**', '**/components/**', '**/layouts/**'],
              message: 'src/core must not import the site.',
            },
          ],
        },
      ],
    },
  },
);
