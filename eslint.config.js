/**
 * ESLint flat config. Besides the recommended TypeScript and Svelte rules it enforces the
 * direction of imports (docs/architecture.md, "Layers"): the engine is pure TypeScript and imports
 * nothing from the app, the UI or Electron; code outside the engine enters it only through
 * src/engine/index.ts (or portable.ts); inside the engine, folders import only folders below them
 * in ENGINE_LAYERS; the renderer imports neither the engine nor Node.
 */
import { builtinModules } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Import paths (relative or not) that reach into one of these top-level folders of src/. */
const into = (...dirs) => ({
  regex: `(^|/)(${dirs.join('|')})(/|$)`,
  message: `Imports go downward only (docs/architecture.md): this module must not import from src/{${dirs.join(',')}}.`,
});

/**
 * The engine's folders, bottom to top. A file imports only from its own folder, from a folder of
 * a lower rank, and from the base files at the engine's root (errors.ts, version.ts). Folders of
 * one rank are independent of each other. No engine file imports the entry (index.ts,
 * portable.ts). src/engine/README.md's folder table lists the same order.
 */
export const ENGINE_LAYERS = [
  ['config'],
  ['rng', 'memory', 'math'],
  ['data', 'model', 'layers', 'losses', 'optim'],
  ['kernels', 'init'],
  ['run'],
  ['probes'],
  ['train'],
  ['inference'],
  ['parallel'],
];
const ENGINE_FOLDERS = ENGINE_LAYERS.flat();
const rankOf = (folder) => ENGINE_LAYERS.findIndex((rank) => rank.includes(folder));

/** Relative imports that reach one of these engine folders from `folder` (null: the root files). */
const intoEngineFolders = (folder, dirs) => ({
  // From a folder the others are up one or more levels; from the root files they are at './'.
  regex: `^${folder ? '(\\.\\./)+' : '\\./'}(${dirs.join('|')})(/|$)`,
  message: `Engine layers import downward only (docs/architecture.md): src/engine/${folder ?? '*.ts'} must not import from src/engine/{${dirs.join(',')}}.`,
});

/** Inside the engine, the entry files are for the outside only (importing them would make loops). */
const engineEntry = {
  regex: '^(\\./|(\\.\\./)+)(index|portable)(\\.js)?$',
  message: 'Engine files import each other directly, never the engine entry (index.ts, portable.ts).',
};

/**
 * Outside the engine, only its entry: index.ts (portable.ts where Node is not available), plus the
 * worker entry the pool is started with (electron-vite `?modulePath`).
 */
const engineInternals = {
  regex: '(^|/)engine/(?!(index|portable)\\.js$|parallel/worker\\?modulePath$)',
  message: 'Import the engine through src/engine/index.js (portable.js for code type-checked without Node); see src/engine/README.md.',
};

/**
 * The renderer imports no engine code, except the config vocabulary: pure data (choices, ranges,
 * defaults) the design form shows, which would otherwise be copied. Its files import nothing but
 * each other (the block for src/engine/config/vocabulary below), so the exception lets in no code.
 */
const engineFromRenderer = {
  regex: '(^|/)engine/(?!config/vocabulary/index\\.js$)',
  message: 'The renderer imports no engine code; only the config vocabulary (src/engine/config/vocabulary/index.js, pure data).',
};

/** Bare names of Node built-ins; the `node:` forms are caught by the 'node:*' pattern. */
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('node:'));

/** What no engine file may import: the app, the UI, Electron, Svelte, onnxruntime. */
const engineOutward = {
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
};

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

  // One block per engine folder (and one for the base files at its root): the outward rules
  // shared by all, plus the folders this one must not import.
  ...[...ENGINE_FOLDERS, null].map((folder) => ({
    files: folder ? [`src/engine/${folder}/**`] : ['src/engine/*.ts'],
    ignores: folder ? [] : ['src/engine/index.ts', 'src/engine/portable.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: engineOutward.paths,
          patterns: [
            ...engineOutward.patterns,
            engineEntry,
            intoEngineFolders(folder, folder ? ENGINE_FOLDERS.filter((f) => f !== folder && rankOf(f) >= rankOf(folder)) : ENGINE_FOLDERS),
          ],
        },
      ],
    },
  })),

  {
    // The renderer may import the config vocabulary, so it stays pure: its files import each other only.
    files: ['src/engine/config/vocabulary/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\./)', message: 'The config vocabulary is pure data the renderer imports: its files import only each other.' },
          ],
        },
      ],
    },
  },

  {
    files: ['src/services/**', 'src/cli/**', 'src/main/**', 'src/bench/**', 'scripts/**'],
    // The kernel code generator reads the contract it generates from (a build step, not a user).
    ignores: ['scripts/generate-kernels.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [engineInternals] }],
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
            engineFromRenderer,
            into('main', 'preload', 'services', 'cli'),
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
      // The contract and its data types sit between the engine and everything above it: they may
      // name the engine's types (type-only imports are erased at build), but never import the
      // services (whose types live here), code from the layers above, or Node.
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'svelte', 'onnxruntime-node', ...nodeBuiltins].map((name) => ({ name, allowTypeImports: false })),
          patterns: [
            { group: ['svelte/*', 'node:*'] },
            { ...into('main', 'preload', 'renderer', 'cli', 'services') },
            // From the engine, only the types of its Node-free entry.
            {
              regex: '(^|/)engine/(?!portable\\.js$)',
              message: 'src/shared imports from the engine only types, through src/engine/portable.js.',
            },
            { regex: '(^|/)engine/portable\\.js$', allowTypeImports: true, message: 'src/shared imports only types from the engine.' },
          ],
        },
      ],
    },
  },
);
