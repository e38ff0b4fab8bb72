import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects: everything in Node as the app's back end runs (the default), and the renderer's
 * state classes (test/ui-state), whose runes are compiled for the browser and run on Svelte's
 * client runtime (test/ui-state/client-environment.ts), in Node without a DOM.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/ui-state/**'] },
      },
      {
        extends: true,
        plugins: [svelte({ configFile: resolve('svelte.config.js') })],
        resolve: { conditions: ['browser'] },
        ssr: { resolve: { conditions: ['browser'] } },
        test: {
          name: 'ui-state',
          include: ['test/ui-state/**/*.test.ts'],
          environment: './test/ui-state/client-environment.ts',
          // Svelte itself must be bundled to pick its client runtime (Node would load the server one).
          server: { deps: { inline: [/svelte/] } },
        },
      },
    ],
  },
});
