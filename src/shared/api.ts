/**
 * The contract between the UI and the back end. The renderer only ever sees an `Api`; the app
 * implements it over IPC (src/preload), the browser test harness over a WebSocket. Every request
 * resolves to a `Result`: failures cross the boundary as data, never as a rejected promise.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface AppInfo {
  /** Product name shown to the user. */
  name: string;
  /** The desktop app's version (package.json). */
  version: string;
  /** The engine's version, recorded in every run's files. */
  engineVersion: string;
}

export interface Api {
  appInfo(): Promise<Result<AppInfo>>;
}

/** The method names of `Api`, for code that must cover every method (preload, harness, tests). */
export type ApiMethod = keyof Api;
