/** Flag parsing for CLI commands on node:util parseArgs, turning its errors into UsageError. */
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { maxPoolWorkers, quoteInput } from '../engine/index.js';
import { UsageError } from './errors.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.replace(/^TypeError \[\w+\]: /, '')} (ablate help)`);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`${command}: unexpected argument ${quoteInput(String(parsed.positionals[positionals]))} (ablate help)`);
  }
  return parsed;
}

export function positiveInt(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${command}: --${flag} must be a whole number of at least 1, got ${quoteInput(String(value))}`);
  return n;
}

/** --workers N: a whole number from 1 to the pool's maximum (twice the cores, at least 8), else a UsageError. */
export function workerCount(command: string, value: string | undefined): number | undefined {
  const n = positiveInt(command, 'workers', value);
  if (n !== undefined && n > maxPoolWorkers()) {
    throw new UsageError(
      `${command}: --workers ${n} is more than this machine can use: at most ${maxPoolWorkers()} (twice its ${availableParallelism()} cores, ` +
        'at least 8); more workers than cores only add memory and contention',
    );
  }
  return n;
}
