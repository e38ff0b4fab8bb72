/**
 * A tab the user picks while an experiment loads stays picked (state/app.svelte.ts). At start the
 * app selects the latest experiment itself and shows its Compare tab once it has loaded; a user
 * who clicked Design during that load was moved to Compare when it ended (an e2e a11y test timed
 * out waiting for the Design tab). Here the back end holds the experiment's load until the test
 * releases it.
 */
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api, ExperimentListItem, Result } from '../../src/shared/api.js';
import { AppState } from '../../src/renderer/src/state/app.svelte.js';

const LATEST = { id: 'e1', name: 'latest', status: 'completed', createdAt: '2026-12-07T10:00:00Z' } as unknown as ExperimentListItem;

/** A back end with one stored experiment whose load waits to be released. */
function heldBackEnd() {
  const loads: Array<() => void> = [];
  const failed = async () => ({ ok: false, error: 'not in this test' }) as Result<never>;
  const api = new Proxy({} as Record<string, unknown>, {
    get(_t, name) {
      if (name === 'onEvent') return () => () => undefined;
      if (name === 'listExperiments') return async () => ({ ok: true, value: [LATEST] });
      // The view itself does not matter here: the tab is applied whether the load finds the
      // experiment or not.
      if (name === 'loadExperiment')
        return () => new Promise<Result<never>>((resolve) => loads.push(() => resolve({ ok: false, error: 'held' })));
      return failed;
    },
  }) as unknown as Api;
  return { api, loads };
}

/** Lets every settled promise's continuation run. */
async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  flushSync();
}

describe('a tab picked while an experiment loads', () => {
  let app: AppState;
  beforeEach(() => {
    vi.stubGlobal('document', { documentElement: { dataset: {} } });
    vi.stubGlobal('getComputedStyle', () => ({ getPropertyValue: () => '' }));
  });
  afterEach(() => {
    app?.session?.dispose();
    vi.unstubAllGlobals();
  });

  /** Starts the app and waits until its own selection of the latest experiment is loading. */
  async function startLoading() {
    const b = heldBackEnd();
    app = new AppState(b.api);
    const started = app.init();
    await settle();
    expect(app.session?.id).toBe('e1');
    expect(b.loads).toHaveLength(1);
    return { started, release: () => b.loads.splice(0).forEach((r) => r()) };
  }

  it('with nothing picked, the latest experiment opens on Compare once loaded', async () => {
    const { started, release } = await startLoading();
    expect(app.tab).toBe('design');
    release();
    await started;
    expect(app.tab).toBe('compare');
  });

  it('Design clicked after the experiment in the sidebar stays on Design', async () => {
    const { started, release } = await startLoading();
    // What Sidebar.svelte and TabBar.svelte do on these clicks.
    await app.select('e1', app.tab === 'design' ? 'compare' : null);
    expect(app.tab).toBe('compare');
    app.tab = 'design';
    release();
    await started;
    expect(app.tab).toBe('design');
  });

  it('Runs clicked during the load stays on Runs', async () => {
    const { started, release } = await startLoading();
    app.tab = 'runs';
    release();
    await started;
    expect(app.tab).toBe('runs');
  });

  it('a tab the user picks, even the one the load would show, is not changed by it', async () => {
    const { started, release } = await startLoading();
    app.tab = 'export';
    app.tab = 'design';
    release();
    await started;
    expect(app.tab).toBe('design');
  });
});
