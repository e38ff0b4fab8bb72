/**
 * Browser entry of the fake Api (bundled by preview.ts and injected with addInitScript): installs
 * `window.api` before the app's scripts run. Options come from `window.__ABLATE_FAKE__`.
 */
import { createFakeApi, type FakeOptions } from './fake-api.js';

const w = window as unknown as { api: unknown; __ABLATE_FAKE__?: FakeOptions; __ablateFake?: unknown };
const fake = createFakeApi(w.__ABLATE_FAKE__ ?? {});
w.api = fake;
w.__ablateFake = fake;
