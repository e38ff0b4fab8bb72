/**
 * The long writer-lock stress run (the CI-sized one is test/store-lock.test.ts): many processes
 * take over one stale lock at once, for many rounds, with and without random pauses between the
 * steps of a takeover, and with one process killed (SIGKILL) at a random step of each round;
 * exactly one must win each round (at most one when one was killed, and the lock must still be
 * takeable afterwards). Exit 1 when any round went wrong.
 * Run: npx tsx scripts/hostile-lock-stress.ts [contenders=16] [rounds=300]
 */
import { lockStress } from '../test/helpers/lock-stress.js';

const contenders = Number(process.argv[2] ?? 16);
const rounds = Number(process.argv[3] ?? 300);
let bad = 0;
for (const [interleave, kill] of [
  [false, false],
  [true, false],
  [true, true],
]) {
  const t0 = Date.now();
  const r = await lockStress({ contenders, rounds: kill ? Math.ceil(rounds / 5) : rounds, interleave, kill });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `${contenders} processes x ${r.rounds} rounds${interleave ? ', random pauses between takeover steps' : ''}${kill ? ', one killed each round' : ''}: ` +
      `${r.badRounds.length} bad rounds, ${r.otherErrors.length} other errors (${secs} s)`,
  );
  for (const b of r.badRounds) console.log(`  round ${b.round}: ${b.winners} winners`);
  for (const e of r.otherErrors.slice(0, 10)) console.log(`  ${e}`);
  bad += r.badRounds.length + r.otherErrors.length;
}
process.exitCode = bad > 0 ? 1 : 0;
