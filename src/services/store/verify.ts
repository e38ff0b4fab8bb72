/**
 * Checks the files a finished run promises (docs/store.md, "Damage"): a summary with a final
 * status (completed, early_stopped, diverged) promises a readable config.json, a metrics.ndjson,
 * and, when it names a weightsSha256, a weights.bin of the size the config's model implies whose
 * parameters hash to it (hashed when the file is at most HASH_LIMIT_BYTES: cheap; bigger files are
 * checked by size only). A run missing any of it is **damaged**: not complete, so `ablate run`
 * retrains it, and listed as damaged with what is missing. Reads at most the model's size of
 * weights.bin; never follows a device or a pipe (files.ts). Async, main thread.
 */
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { planModel } from '../../engine/index.js';
import type { RunSummary } from '../experiments/types.js';
import { errnoCode } from './errors.js';
import { notRegular, readJsonIfExists } from './files.js';
import { CONFIG_FILE, isFinalStatus, METRICS_FILE, SUMMARY_FILE, WEIGHTS_FILE, type StoredRunConfig } from './layout.js';
import { parseRunConfig, parseSummary } from './records.js';
import { weightsFingerprint } from './weights.js';

export interface RunFiles {
  /** config.json parsed; null when missing or unreadable (then configError says why, when it exists). */
  config: StoredRunConfig | null;
  configError: string | null;
  /** summary.json parsed; null when the run has none yet. */
  summary: RunSummary | null;
  /** A final status and intact files: a resume skips the run. */
  complete: boolean;
  /** For a run with a final status: what is wrong with its files ([] when intact). */
  damage: string[];
}

/**
 * Reads a run folder's config and summary and, when the summary has a final status, checks the
 * files it promises. StoreError when summary.json exists but is damaged.
 */
export async function inspectRunFiles(runDir: string): Promise<RunFiles> {
  const summaryFile = path.join(runDir, SUMMARY_FILE);
  const rawSummary = await readJsonIfExists(summaryFile);
  const summary = rawSummary === null ? null : parseSummary(summaryFile, rawSummary);
  let config: StoredRunConfig | null = null;
  let configError: string | null = null;
  try {
    const file = path.join(runDir, CONFIG_FILE);
    const raw = await readJsonIfExists(file);
    if (raw !== null) config = parseRunConfig(file, raw);
  } catch (err) {
    configError = err instanceof Error ? err.message : String(err);
  }
  const final = summary !== null && isFinalStatus(summary.status);
  const damage = final ? await runFileDamage(runDir, summary, config, configError) : [];
  return { config, configError, summary, complete: final && damage.length === 0, damage };
}

/**
 * weights.bin files up to this size are hashed when a run is checked (about 3 ms per MiB, once per
 * file version: weights.ts caches the hash by inode, size and times, so listings stay cheap).
 */
export const HASH_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * What is wrong with a finished run's files, one sentence each naming the file; [] when intact.
 * `config` is the parsed config.json (null when missing or unreadable: `configError` says why).
 */
export async function runFileDamage(
  runDir: string,
  summary: RunSummary,
  config: StoredRunConfig | null,
  configError: string | null,
): Promise<string[]> {
  const damage: string[] = [];
  const at = (name: string) => path.join(runDir, name);
  if (config === null) damage.push(configError ?? `${at(CONFIG_FILE)}: is missing although the run is complete`);
  const metrics = await fileProblem(at(METRICS_FILE));
  if (metrics !== null) damage.push(`${at(METRICS_FILE)}: ${metrics}`);
  else if (summary.steps > 0 && (await fs.stat(at(METRICS_FILE))).size === 0)
    damage.push(`${at(METRICS_FILE)}: is empty although the run trained ${summary.steps} steps`);
  if (summary.weightsSha256 == null) return damage;
  if (config === null) {
    const weights = await fileProblem(at(WEIGHTS_FILE));
    if (weights !== null) damage.push(`${at(WEIGHTS_FILE)}: ${weights}`);
    return damage;
  }
  let counts: { paramCount: number; bufferCount: number };
  try {
    counts = planModel(config.config.model);
  } catch (err) {
    damage.push(`${at(CONFIG_FILE)}: does not describe a model (${err instanceof Error ? err.message : String(err)})`);
    return damage;
  }
  const w = await weightsFingerprint(runDir, counts.paramCount, counts.bufferCount, HASH_LIMIT_BYTES);
  if (w.problem !== null)
    damage.push(`${at(WEIGHTS_FILE)}: ${w.problem === 'is missing' ? 'is missing although the summary names its hash' : w.problem}`);
  else if (w.sha256 !== null && w.sha256 !== summary.weightsSha256)
    damage.push(`${at(WEIGHTS_FILE)}: the parameters hash to ${w.sha256}, but the run's summary says ${summary.weightsSha256}`);
  return damage;
}

/** Why `file` is not a readable regular file ("is missing", "is a character device ..."), or null. */
async function fileProblem(file: string): Promise<string | null> {
  try {
    const st = await fs.stat(file);
    return st.isFile() ? null : await notRegular(file, st);
  } catch (err) {
    const code = errnoCode(err);
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'is missing' : `cannot be read (${code ?? String(err)})`;
  }
}
