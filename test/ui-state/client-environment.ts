/**
 * A Vitest environment for the renderer's state classes: Node, without a DOM, but with modules
 * transformed for the client, so vite-plugin-svelte compiles `.svelte.ts` runes for the browser
 * and `$effect`s run (the server build of Svelte never runs them).
 */
import type { Environment } from 'vitest/environments';

export default {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
