// Run first by `npm start` and `npm run dev`: is Electron's binary installed? When it is not
// (its download was skipped with ELECTRON_SKIP_BINARY_DOWNLOAD, failed, or install scripts were
// blocked), say so in one paragraph, with the command that installs it and the browser
// alternative, and exit 1 instead of letting electron-vite fail with a stack trace.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The package exports the binary's path, and throws when its install script never ran.
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

if (electronBinary() === null) {
  const skipped = Boolean(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD);
  const why = skipped
    ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set in this shell, so its download was skipped'
    : 'its download was skipped or failed when the packages were installed (it comes from GitHub)';
  console.error(
    `Ablate: the desktop app cannot open, because Electron's binary is not installed: ${why}. ` +
      `To install it, run \`npm rebuild electron\`${skipped ? ' in a shell without ELECTRON_SKIP_BINARY_DOWNLOAD' : ''} ` +
      '(it needs to reach github.com), then `npm start` again. Without Electron, the same workbench runs in your ' +
      'browser: `npx ablate serve`, then open the URL it prints (on a remote machine, through `ssh -L 6150:localhost:6150`).',
  );
  process.exit(1);
}
