// Writes schema/experiment.schema.json from the config vocabulary (src/engine/config/vocabulary),
// formatted as the repository's prettier config says. Run after changing the vocabulary:
//   npm run schema
// test/config-vocabulary.test.ts fails while the committed file differs from the vocabulary.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { buildExperimentSchema } from '../src/services/experiments/spec/schema-build.js';

const file = fileURLToPath(new URL('../schema/experiment.schema.json', import.meta.url));
const options = { ...(await prettier.resolveConfig(file)), filepath: file };
writeFileSync(file, await prettier.format(JSON.stringify(buildExperimentSchema()), options));
console.log(`wrote ${file}`);
