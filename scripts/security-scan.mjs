// Security scan of the Electron code with @doyensec/electronegativity (it exits 0 even with
// findings, so we read its SARIF): fails on any finding outside security/electronegativity-allowlist.json,
// and on allowlist entries that match nothing (stale). Electron's version is passed explicitly,
// otherwise the scanner assumes an ancient one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const allowlist = JSON.parse(readFileSync(new URL('../security/electronegativity-allowlist.json', import.meta.url), 'utf8')).entries;
const dir = mkdtempSync(path.join(tmpdir(), 'ablate-eneg-'));
const sarif = path.join(dir, 'result.sarif');
try {
  execFileSync(
    process.execPath,
    [require.resolve('@doyensec/electronegativity/dist/index.js'), '-i', 'src', '-e', electronVersion, '-r', '-o', sarif],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const findings = JSON.parse(readFileSync(sarif, 'utf8')).runs.flatMap((run) =>
    run.results.map((r) => ({
      check: r.ruleId,
      file: r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?',
      line: r.locations?.[0]?.physicalLocation?.region?.startLine,
      text: r.message.text,
    })),
  );
  const allowed = (f) => allowlist.some((a) => a.check === f.check && a.file === f.file);
  const unexpected = findings.filter((f) => !allowed(f));
  const stale = allowlist.filter((a) => !findings.some((f) => f.check === a.check && f.file === a.file));
  for (const f of unexpected) console.error(`security: ${f.check} in src/${f.file}:${f.line}: ${f.text}`);
  for (const a of stale) console.error(`security: allowlist entry ${a.check} for ${a.file} matches no finding; remove it`);
  if (unexpected.length || stale.length) process.exit(1);
  console.log(`security: electronegativity (Electron ${electronVersion}) found ${findings.length} findings, all reviewed in the allowlist`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
