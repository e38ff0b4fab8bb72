/**
 * The writer-lock race, reproduced: `contenders` processes (lock-contender.ts) are told at the
 * same moment to take the writer lock of a folder whose lock was left by a dead process (a stale
 * lock, as after a crash), `rounds` times. Exactly one may win each round; the others must be
 * told the experiment is open. Used by test/store-lock.test.ts (sized for CI) and by
 * scripts/hostile-lock-stress.ts (longer).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const contender = fileURLToPath(new URL('../fixtures/store/lock-contender.ts', import.meta.url));

interface Verdict {
  round: number;
  won?: boolean;
  busy?: boolean;
  message?: string;
  released?: boolean;
  ready?: boolean;
}

export interface StressReport {
  rounds: number;
  /** Rounds in which more than one process won, or none did. */
  badRounds: { round: number; winners: number; messages: string[] }[];
  /** Losers whose error was not "already open" (e.g. a store error while taking over). */
  otherErrors: string[];
}

/** A pid that ran on this machine and has exited. */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** The lock content a killed process leaves: the old format, or the claim format with a token. */
function staleLock(round: number, pid: number): string {
  const since = new Date().toISOString();
  if (round % 2 === 0) return JSON.stringify({ pid, hostname: os.hostname(), since }) + '\n';
  const token = randomBytes(12).toString('hex');
  return JSON.stringify({ token, host: os.hostname(), pid, processStart: null, since, leaseMs: 60_000, purpose: 'writer' }) + '\n';
}

export interface StressOptions {
  contenders: number;
  rounds: number;
  /** Random 0-2 ms pauses between the steps of every takeover. */
  interleave: boolean;
  /**
   * Every round, SIGKILL one contender a random 0-4 ms after the start (maybe mid-takeover, maybe
   * holding a marker or the lock). Then at most one survivor may win, and afterwards a survivor
   * must still get the lock (a crash at any step never wedges it); the killed one is replaced.
   */
  kill?: boolean;
  log?: (line: string) => void;
}

export async function lockStress(o: StressOptions): Promise<StressReport> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ablate-lock-stress-'));
  const children: ChildProcess[] = [];
  const inbox: (Verdict & { from: ChildProcess })[] = [];
  let wake: (() => void) | null = null;
  const receive = async (pred: (v: Verdict) => boolean, from: ChildProcess[]): Promise<Verdict[]> => {
    for (;;) {
      const got = inbox.filter((v) => from.includes(v.from) && pred(v));
      if (got.length >= from.length) {
        for (const v of got) inbox.splice(inbox.indexOf(v), 1);
        return got;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const start = (): ChildProcess => {
    const child = fork(contender, o.interleave ? ['--interleave'] : [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    child.on('message', (v: Verdict) => {
      inbox.push({ ...v, from: child });
      wake?.();
    });
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') {
        inbox.push({ round: -1, message: `contender exited with ${code ?? signal}`, from: child });
      }
      wake?.();
    });
    return child;
  };
  const report: StressReport = { rounds: o.rounds, badRounds: [], otherErrors: [] };
  try {
    for (let i = 0; i < o.contenders; i++) children.push(start());
    await receive((v) => v.ready === true, children);
    const pid = deadPid();
    for (let round = 0; round < o.rounds; round++) {
      await fs.writeFile(path.join(dir, '.writer.lock'), staleLock(round, pid));
      for (const c of children) c.send({ go: round, dir });
      let survivors = children;
      if (o.kill) {
        const victim = children[Math.floor(Math.random() * children.length)];
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)));
        victim.kill('SIGKILL');
        await new Promise((resolve) => victim.once('exit', resolve).exitCode !== null && resolve(null));
        survivors = children.filter((c) => c !== victim);
        const replacement = start();
        await receive((v) => v.ready === true, [replacement]);
        children[children.indexOf(victim)] = replacement;
      }
      const verdicts = await receive((v) => v.round === round && v.won !== undefined, survivors);
      const winners = verdicts.filter((v) => v.won);
      for (const v of verdicts) if (!v.won && !v.busy) report.otherErrors.push(`round ${round}: ${v.message}`);
      if (o.kill ? winners.length > 1 : winners.length !== 1) {
        report.badRounds.push({ round, winners: winners.length, messages: verdicts.map((v) => (v.won ? 'won' : String(v.message))) });
      }
      // Every winner gives the lock back, so the next round starts from a stale lock again.
      for (const c of survivors) c.send({ release: round });
      await receive((v) => v.round === round && v.released === true, survivors);
      if (o.kill) {
        // Whatever the killed one left (the lock, a marker, a temp file), the lock can be taken.
        const probe = children[0];
        probe.send({ go: -round - 1, dir });
        const [after] = await receive((v) => v.round === -round - 1 && v.won !== undefined, [probe]);
        if (!after.won) report.otherErrors.push(`round ${round}: after the kill the lock could not be taken: ${after.message}`);
        probe.send({ release: -round - 1 });
        await receive((v) => v.round === -round - 1 && v.released === true, [probe]);
      }
      o.log?.(`round ${round + 1}/${o.rounds}: ${winners.length} winner(s)`);
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await fs.rm(dir, { recursive: true, force: true });
  }
  return report;
}
