// Lint rules, and the import boundaries between folders that docs/ARCHITECTURE.md draws.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

import { readFileSync, readdirSync, existsSync } from 'node:fs';

/**
 * The import boundaries come from one place: the Layout table of docs/ARCHITECTURE.md. Each row
 * is `| \`folder/\` | what lives there | may import |`; the last cell lists folders by name
 * (`db, config`), or says `all` (every folder but `test/`, which is named when needed:
 * `all, test`), or `(third-party only)` / `nothing of ours`. A nested folder
 * (`dashboard/status/`) is its own element with its own row; its parent, and whoever may import
 * the parent, may import it.
 * A top-level folder holding code with no row is an error here, so the table cannot fall behind.
 */
function layoutTable() {
  const doc = readFileSync(new URL('./docs/ARCHITECTURE.md', import.meta.url), 'utf8');
  const section = doc.split(/^## Layout$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = [];
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([\w./-]+)\/`\s*\|.*\|\s*([^|]*?)\s*\|\s*$/.exec(line);
    if (m) rows.push({ folder: m[1], imports: m[2] });
  }
  if (rows.length === 0) throw new Error('docs/ARCHITECTURE.md: no Layout table found');
  return rows;
}

const rows = layoutTable();
const folders = rows.map((r) => r.folder);
const topLevel = folders.filter((f) => !f.includes('/'));
const codeDirs = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules' && d.name !== 'docs')
  .map((d) => d.name)
  .filter((d) => existsSync(new URL(`./${d}`, import.meta.url)) && hasCode(d));
for (const dir of codeDirs) {
  if (!topLevel.includes(dir)) throw new Error(`docs/ARCHITECTURE.md: the Layout table has no row for \`${dir}/\``);
}

function hasCode(dir) {
  return readdirSync(new URL(`./${dir}`, import.meta.url), { recursive: true }).some((f) =>
    /\.(ts|js)$/.test(String(f)),
  );
}

const isTest = (folder) => folder === 'test' || folder.startsWith('test/');

/** Which of our folders each folder may import, read from the table. */
const allowed = Object.fromEntries(
  rows.map(({ folder, imports }) => {
    const words = imports.replace(/`/g, '').trim();
    const children = folders.filter((f) => f.startsWith(`${folder}/`));
    if (/third-party only|nothing of ours/i.test(words)) return [folder, children];
    const listed = words.split(/\s*,\s*/).map((w) => w.replace(/\/$/, ''));
    // `all` is every folder but test/ (and its nested folders): test helpers never ship, so a
    // folder that needs them (bench/) names `test` as well.
    const named = listed.flatMap((w) => (/^all$/i.test(w) ? folders.filter((f) => !isTest(f)) : [w]));
    for (const n of named) {
      if (!folders.includes(n))
        throw new Error(`docs/ARCHITECTURE.md: the Layout row of ${folder}/ names ${n}, which has no row`);
    }
    // Whoever may import a folder may import its nested folders (they are part of it); a nested
    // folder that names its parent gets the parent's own files, not its siblings.
    const nested = named.flatMap((n) =>
      folder.startsWith(`${n}/`) ? [] : folders.filter((f) => f.startsWith(`${n}/`)),
    );
    return [folder, [...named, ...nested, ...children]];
  }),
);
const envMessage = 'read the environment through config/ (processEnv(), childEnv() in config/env.ts, a schema there)';

// The most specific folder first: boundaries gives a file the first element that matches.
const elements = [...folders].sort((a, b) => b.split('/').length - a.split('/').length);

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
      'boundaries/elements': elements.map((f) => ({ type: f, pattern: f, partialMatch: false })),
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
      // One configuration: process.env is read in config/ only (config/env.ts hands it out, and
      // `childEnv()` builds a child process's); tests and benchmarks may read it.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: envMessage }],
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
    files: ['config/**', '**/*.test.ts', 'test/**', 'bench/**', 'eslint.config.js'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['dashboard/public/**/*.js', 'demo-app/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
