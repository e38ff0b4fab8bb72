/**
 * Absolute paths in text the UI shows (a data set's provenance) made short and private: a path in
 * the app's embedded data becomes "<built-in>/…", in the store "<store>/…", under the home folder
 * "~/…". The most specific folder wins. Pure.
 */
import path from 'node:path';

export interface NamedFolder {
  dir: string;
  as: string;
}

export function shortenPaths(text: string, folders: readonly NamedFolder[]): string {
  const ordered = folders
    .filter((f) => f.dir && path.isAbsolute(f.dir))
    .map((f) => ({ dir: path.resolve(f.dir), as: f.as }))
    .filter((f) => f.dir !== path.parse(f.dir).root)
    .sort((a, b) => b.dir.length - a.dir.length);
  let out = text;
  for (const f of ordered) out = out.split(f.dir + path.sep).join(f.as + '/');
  return out;
}
