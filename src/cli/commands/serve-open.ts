/**
 * `ablate serve --open`: opens the workbench in the default browser. Like Jupyter, it opens a
 * small local HTML file that redirects to the URL rather than the URL itself, so the token does
 * not appear in the process list; the file is readable by the user only and removed on stop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Opens `url`; returns a cleanup function, and calls `onFailure` with a reason if no browser could be started. */
export function openInBrowser(url: string, onFailure: (reason: string) => void): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'ablate-open-'));
  const file = path.join(dir, 'open.html');
  const attr = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  writeFileSync(file, `<!doctype html><meta http-equiv="refresh" content="0; url=${attr}"><title>Ablate</title>\n`, { mode: 0o600 });
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [file]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', file]]
        : ['xdg-open', [file]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', (err) => onFailure(`${command}: ${err.message}`));
    child.on('exit', (code) => {
      if (code) onFailure(`${command} exited with code ${code}`);
    });
    child.unref();
  } catch (err) {
    onFailure(`${command}: ${(err as Error).message}`);
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
