// Prints one of README.md's quick-start commands, exactly as written there, so that CI runs what a
// newcomer reads: `install` is the first command of the first code block under "## Quick start",
// `test` the first command of the second ("npm install", "npm test"; comments after # dropped).
//   node scripts/readme-commands.mjs install|test
import { readFileSync } from 'node:fs';

const which = process.argv[2];
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('## Quick start');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
const first = (block) =>
  block
    ?.split('\n')[0]
    .replace(/\s+#.*$/, '')
    .trim();
const command = { install: first(blocks[0]), test: first(blocks[1]) }[which];
if (start < 0 || !command) {
  console.error(`readme-commands: no ${which ?? '(install|test)'} command found in README.md's Quick start`);
  process.exit(2);
}
console.log(command);
