/**
 * The example experiments offered on first launch and in the sidebar, bundled from examples/*.json
 * (the same files the CLI runs and test/examples.test.ts checks).
 */
import initialization from '../../../examples/initialization-matters.json' with { type: 'json' };
import overfitting from '../../../examples/taming-overfitting.json' with { type: 'json' };
import relu from '../../../examples/why-relu-beat-sigmoid.json' with { type: 'json' };
import type { ExampleCard } from '../../shared/api.js';
import type { ExperimentSpec } from '../experiments/types.js';

const FILES: Array<[string, unknown]> = [
  ['why-relu-beat-sigmoid', relu],
  ['taming-overfitting', overfitting],
  ['initialization-matters', initialization],
];

export function exampleCards(): ExampleCard[] {
  return FILES.map(([id, raw]) => {
    const spec = raw as ExperimentSpec;
    return { id, title: spec.name, description: spec.description ?? '', spec };
  });
}
