/**
 * Build of the three Electron parts into out/: main (ESM, out/main/index.js), preload (CJS,
 * out/preload/index.cjs) and renderer (out/renderer/index.html).
 *
 * Main-process workers: `import workerPath from '../engine/parallel/worker?modulePath'` is handled
 * by electron-vite's built-in modulePath plugin (bundled as its own chunk under out/main/), typed
 * by "electron-vite/node" in tsconfig.node.json; nothing to configure here.
 */
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Every package in `dependencies` stays external and is loaded from node_modules at run
      // time; onnxruntime-node must be, or its native binding cannot be found.
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve('src/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only `electron` (and a few built-ins): bundle everything
      // else into it, and emit CommonJS, because a sandboxed renderer cannot load an ESM preload.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      // Minified: the less the renderer parses, the sooner the window and the first plot appear.
      minify: true,
      rolldownOptions: {
        input: { index: resolve('src/renderer/index.html') },
      },
    },
    resolve: {
      // plotly.js's registry requires maplibre's stylesheet for map traces, which the app does not
      // register (src/renderer/src/plot/plotly-bundle.ts): leave those 80 kB of CSS out.
      alias: { 'maplibre-gl/dist/maplibre-gl.css': resolve('src/renderer/src/plot/no-stylesheet.ts') },
    },
    // plotly.js's sources (and some of their dependencies) read Node's `global`.
    define: { global: 'globalThis' },
    // Web Workers (the Compare tab's aggregation) are ES modules, served from the app like any script.
    worker: { format: 'es' },
    // The plugin would look for svelte.config.js in the renderer root; ours is at the repo root.
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  },
});
