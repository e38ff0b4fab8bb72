// Preloaded (node --import) into every process the hostile suite starts: at exit, writes the
// process's peak resident set size (getrusage maxRSS, all threads included) to the file named by
// ABLATE_RSS_FILE, so the suite can report it on any platform. Does nothing without that variable.
import { appendFileSync } from 'node:fs';

const file = process.env.ABLATE_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      appendFileSync(file, `${process.resourceUsage().maxRSS * 1024}\n`);
    } catch {
      // The suite falls back to its own sampling.
    }
  });
}
