// Lint rules, and the import boundaries between folders that docs/ARCHITECTURE.md draws.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

const folders = [
  'workflows',
  'fixtures',
  'reporters',
  'notifiers',
  'db',
  'scheduler',
  'reports',
  'dashboard',
  'demo-app',
  'bin',
  'bench',
  'test',
  'config',
];

/** Which of our folders each folder may import (DESIGN.md, "Layout"). */
const allowed = {
  workflows: ['fixtures'],
  fixtures: [],
  reporters: ['db', 'notifiers', 'reports', 'config'],
  notifiers: ['db', 'config'],
  db: ['config'],
  scheduler: ['db', 'notifiers', 'reports', 'dashboard', 'config'],
  reports: ['db', 'notifiers', 'config'],
  dashboard: ['db', 'reports', 'config'],
  'demo-app': [],
  config: [],
  bin: folders,
  bench: folders,
  test: folders,
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.monitor-test-specs-*/**',
      '.tools/**',
      '.monitor/**',
      'test-results/**',
      'playwright-report/**',
      'monitoring-reports/**',
      'dashboard/public/vendor/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { boundaries },
    settings: {
      'boundaries/elements': folders.map((f) => ({ type: f, pattern: f })),
      'boundaries/include': folders.map((f) => `${f}/**/*`),
    },
    rules: {
      'boundaries/dependencies': [
        2,
        {
          default: 'disallow',
          policies: [
            ...Object.entries(allowed).map(([from, to]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { types: { anyOf: [from, ...to] } } } },
            })),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // A test may reach into any folder it exercises, including the shared test helpers.
    files: ['**/*.test.ts'],
    rules: { 'boundaries/dependencies': 'off' },
  },
  {
    files: ['dashboard/public/**/*.js', 'demo-app/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
