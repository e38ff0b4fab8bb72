/** `ablate export` (not built yet). */
import { UsageError } from '../errors.js';

export async function exportCommand(_args: string[]): Promise<number> {
  throw new UsageError('export: not available yet');
}
