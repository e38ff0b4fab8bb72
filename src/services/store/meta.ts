/**
 * What a user sets on a stored experiment beside its spec: a display name (a rename), tags, and
 * whether it is archived (hidden from the default list). It lives in `meta.json` next to
 * experiment.json, written atomically (atomic.ts), and is never part of the spec: a rename or a
 * tag changes neither the spec hash nor the folder id, so a resume still finds the experiment.
 *
 * Reading is tolerant: a missing meta.json is the defaults; a damaged one is reported as `error`
 * and replaced whole by the next update. Updates of one experiment are serialized within this
 * process (read, change, write); two processes updating the same experiment at once keep the last
 * write (meta.json is labels only: no result depends on it). Async, main thread.
 */
import path from 'node:path';
import { writeJsonAtomic } from './atomic.js';
import { StoreError } from './errors.js';
import { isObject, readJsonIfExists } from './files.js';
import { META_FILE } from './layout.js';

export const META_FORMAT = 'ablate-experiment-meta/1';

export interface ExperimentMeta {
  /** The name shown instead of spec.name; null shows spec.name. */
  name: string | null;
  tags: string[];
  /** Hidden from the default list. */
  archived: boolean;
  /** The experiment this one was duplicated from (its id), or null. */
  copiedFrom: string | null;
}

export const MAX_NAME_LENGTH = 200;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;

export function defaultMeta(): ExperimentMeta {
  return { name: null, tags: [], archived: false, copiedFrom: null };
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A name as stored: spaces collapsed and trimmed; StoreError-free, a message when it cannot be used. */
export function cleanName(name: string): { name: string } | { problem: string } {
  const clean = name.replace(/\s+/g, ' ').trim();
  if (clean === '') return { problem: 'the name is empty' };
  if (clean.length > MAX_NAME_LENGTH) return { problem: `the name is ${clean.length} characters long (at most ${MAX_NAME_LENGTH})` };
  if (CONTROL.test(clean)) return { problem: 'the name contains a control character' };
  return { name: clean };
}

/**
 * Tags as stored: each trimmed with spaces collapsed, empty ones dropped, duplicates (ignoring
 * case) dropped keeping the first spelling; a message when one is too long, contains a comma (the
 * UI's separator) or a control character, or when there are too many.
 */
export function cleanTags(tags: readonly string[]): { tags: string[] } | { problem: string } {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of tags) {
    const tag = raw.replace(/\s+/g, ' ').trim();
    if (tag === '') continue;
    if (tag.length > MAX_TAG_LENGTH) return { problem: `the tag "${tag.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH} characters` };
    if (tag.includes(',') || CONTROL.test(tag)) return { problem: `the tag "${tag}" contains a comma or a control character` };
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  if (out.length > MAX_TAGS) return { problem: `${out.length} tags (at most ${MAX_TAGS})` };
  return { tags: out };
}

/** The meta of an experiment folder: defaults when there is none, defaults and `error` when it is damaged. */
export async function readMeta(experimentDir: string): Promise<{ meta: ExperimentMeta; error?: string }> {
  const file = path.join(experimentDir, META_FILE);
  try {
    const raw = await readJsonIfExists(file);
    return { meta: raw === null ? defaultMeta() : parseMeta(file, raw) };
  } catch (err) {
    return { meta: defaultMeta(), error: err instanceof Error ? err.message : String(err) };
  }
}

function parseMeta(file: string, v: unknown): ExperimentMeta {
  if (!isObject(v)) throw new StoreError(file, 'is not experiment metadata: expected a JSON object');
  const meta = defaultMeta();
  if (typeof v.name === 'string') {
    const c = cleanName(v.name);
    if ('name' in c) meta.name = c.name;
  }
  if (Array.isArray(v.tags)) {
    const c = cleanTags(v.tags.filter((t): t is string => typeof t === 'string'));
    if ('tags' in c) meta.tags = c.tags;
  }
  meta.archived = v.archived === true;
  meta.copiedFrom = typeof v.copiedFrom === 'string' ? v.copiedFrom : null;
  return meta;
}

/** Per experiment folder, the tail of its chain of updates in this process. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Reads the meta, applies `change` and writes the result atomically, after any update of the same
 * folder this process started before. Returns what was written.
 */
export function updateMeta(experimentDir: string, change: (meta: ExperimentMeta) => ExperimentMeta): Promise<ExperimentMeta> {
  const dir = path.resolve(experimentDir);
  const run = async () => {
    const next = change((await readMeta(dir)).meta);
    await writeJsonAtomic(path.join(dir, META_FILE), { format: META_FORMAT, ...next });
    return next;
  };
  const previous = queues.get(dir) ?? Promise.resolve();
  const done = previous.then(run, run);
  const tail = done.catch(() => undefined);
  queues.set(dir, tail);
  void tail.then(() => {
    if (queues.get(dir) === tail) queues.delete(dir);
  });
  return done;
}
