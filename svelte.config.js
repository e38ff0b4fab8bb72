import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * Read by vite-plugin-svelte (via electron.vite.config.ts), svelte-check and eslint-plugin-svelte.
 * Runes mode everywhere: Ablate has no legacy components, and this keeps one from sneaking in.
 * @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig}
 */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
