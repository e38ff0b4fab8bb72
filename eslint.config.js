/**
 * ESLint flat config. Besides the recommended TypeScript and Svelte rules it enforces the
 * direction of imports (DESIGN.md §2): the engine is pure TypeScript and imports nothing from the
 * app, the UI or Electron; the renderer imports neither the engine nor Node.
 */
import { builtinModules } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Import paths (relative or not) that reach into one of these top-level folders of src/. */
const into = (...dirs) => ({
  regex: `(^|/)(${dirs.join('|')})(/|$)`,
  message: `Imports go downward only (DESIGN.md §2): this module must not import from src/{${dirs.join(',')}}.`,
});

/** Bare names of Node built-ins; the `node:` forms are caught by the 'node:*' pattern. */
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('node:'));

export default defineConfig(
  globalIgnores([
    'out/',
    'dist/',
    'build/',
    'coverage/',
    'test-results/',
    'ablate-runs/',
    '.ablate-cache/',
    // AssemblyScript (compiled by scripts/build-wasm.mjs) and its generated output are not TypeScript.
    'src/engine/kernels/wasm/assembly/',
    'src/engine/kernels/wasm/generated/',
  ]),

  ts.configs.recommended,
  svelte.configs.recommended,
  svelte.configs.prettier,

  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
  },

  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },

  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The engine never imports Electron.' },
            { name: 'svelte', message: 'The engine never imports Svelte.' },
            { name: 'onnxruntime-node', message: 'The engine never loads onnxruntime (services/onnx does, in the main thread).' },
          ],
          patterns: [
            {
              group: ['electron/*', 'svelte/*', 'onnxruntime-node/*'],
              message: 'The engine never imports Electron, Svelte or onnxruntime.',
            },
            into('main', 'preload', 'renderer', 'services', 'cli'),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'The engine runs in Node and workers: no DOM.' },
        { name: 'document', message: 'The engine runs in Node and workers: no DOM.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Draw from a seeded stream (src/engine/rng) so runs reproduce.' },
        { object: 'globalThis', property: 'window', message: 'The engine runs in Node and workers: no DOM.' },
        { object: 'globalThis', property: 'document', message: 'The engine runs in Node and workers: no DOM.' },
      ],
    },
  },

  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer is sandboxed: talk to the back end through the Api it is handed.' },
            { name: 'onnxruntime-node', message: 'The renderer is sandboxed: no native modules.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is sandboxed: no Node built-ins.' })),
          ],
          patterns: [
            {
              group: ['electron/*', 'onnxruntime-node/*', 'node:*'],
              message: 'The renderer is sandboxed: no Electron, Node or native modules.',
            },
            into('engine', 'main', 'preload', 'services', 'cli'),
          ],
        },
      ],
    },
  },

  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [into('engine', 'main', 'renderer', 'services', 'cli')] }],
    },
  },

  {
    files: ['src/shared/**'],
    rules: {
      // The contract may name the data model's types (type-only imports are erased at build), but
      // never pull code from the layers above or from Node.
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'svelte', 'onnxruntime-node', ...nodeBuiltins].map((name) => ({ name, allowTypeImports: false })),
          patterns: [
            { group: ['svelte/*', 'node:*'] },
            { ...into('main', 'preload', 'renderer', 'cli') },
            { ...into('services', 'engine'), allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
