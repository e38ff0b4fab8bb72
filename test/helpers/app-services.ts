/**
 * The app's back end as the tests start it: AppServices on the built worker (out/engine/worker.js,
 * `npm run build:engine`) and the repository's MNIST cache, version "test", one worker, with
 * dialogs that choose nothing unless a test gives its own.
 */
import { fileURLToPath } from 'node:url';
import { AppServices, type AppServicesOptions, type Dialogs } from '../../src/services/app/app-services.js';

export const WORKER_PATH = fileURLToPath(new URL('../../out/engine/worker.js', import.meta.url));
export const EMBEDDED_DIR = fileURLToPath(new URL('../../resources/runtime/mnist', import.meta.url));

/** Dialogs that choose and save nothing; `given` replaces some. */
export function testDialogs(given: Partial<Dialogs> = {}): Dialogs {
  return {
    chooseDataFile: async () => null,
    openExperimentFile: async () => null,
    saveFile: async () => null,
    openFolder: async () => undefined,
    ...given,
  };
}

/** AppServices on `storeRoot`; `options` replace the defaults above, `dialogs` some of the dialogs. */
export function testServices(
  storeRoot: string,
  options: Partial<Omit<AppServicesOptions, 'dialogs'>> & { dialogs?: Partial<Dialogs> } = {},
): AppServices {
  const { dialogs, ...rest } = options;
  return new AppServices({
    storeRoot,
    workerPath: WORKER_PATH,
    embeddedDir: EMBEDDED_DIR,
    appVersion: 'test',
    poolSize: 1,
    ...rest,
    dialogs: testDialogs(dialogs),
  });
}

/** Calls an Api method through `invoke` and returns its value; its error Result is thrown. */
export async function callApi<T>(services: AppServices, method: string, ...args: unknown[]): Promise<T> {
  const r = await services.invoke(method, args);
  if (!r.ok) throw new Error(r.error);
  return r.value as T;
}
