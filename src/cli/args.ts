/** Flag parsing for CLI commands on node:util parseArgs, turning its errors into UsageError. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.replace(/^TypeError \[\w+\]: /, '')} (ablate help)`);
  }
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`${command}: unexpected argument "${parsed.positionals[positionals]}" (ablate help)`);
  }
  return parsed;
}

export function positiveInt(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${command}: --${flag} must be a whole number of at least 1, got "${value}"`);
  return n;
}
