/**
 * A team's first hidden layer split by output features instead of rows. Split by rows, every
 * thread reads every weight in its forward, so each weight line sits in every core's cache and the
 * update must take half of them back from the other core: on a 2-vCPU host whose vCPUs sit far
 * apart, about 9 ns more per line written (BENCHMARKS.md, "The host moves the two vCPUs"). Here
 * each thread computes its own range of the first layer's features for the whole batch
 * (linearForwardFeatures), their weight gradients and their update, so the first layer's weights
 * (most of an MLP's on image inputs) stay in one core's cache. The layers above still go by rows.
 *
 * Every output element is computed exactly as a split by rows computes it (the kernels' feature
 * partition), and the update is elementwise, so the bits are those of a lone thread. What it adds:
 * the rows are gathered in a phase of their own and the layer's forward is a phase, two barriers
 * per step; and each thread packs the whole batch's input for its features. At batch 128 a team
 * trained 5% faster with it on a 2-vCPU EPYC host whose vCPUs sat far apart, 3.6% slower (6
 * rounds) when they sat near, and 5% faster on a 2-vCPU Xeon host whose vCPUs sat near
 * (BENCHMARKS.md). A lone thread never uses it (a grid's runs train on one thread each while they
 * outnumber the workers).
 */
import type { Kernels } from '../kernels/types.js';
import type { Team } from '../run/team.js';
import { firstLayerRange, type FeatureBlock, type WorkPlan } from '../run/work-plan.js';
import type { Network } from './network.js';
import type { OptimizerBlocks, ParamBlockViews } from './optimizer.js';

export class FirstLayerSplit {
  /** This thread's features [f0, f1) of the first hidden layer (empty when it owns no block). */
  readonly f0: number;
  readonly f1: number;
  /** The first layer's weight blocks whose gradients this thread computes. */
  readonly gradBlocks: FeatureBlock[];
  /** The optimizer's blocks of those features' weights and biases, which this thread updates. */
  readonly ownUpdates: ParamBlockViews[];
  /** Every other parameter block, claimed by any thread as usual (the same list in every thread). */
  readonly sharedUpdates: ParamBlockViews[];

  constructor(
    private readonly net: Network,
    work: WorkPlan,
    team: Team,
    optimizer: OptimizerBlocks,
    private readonly k: Kernels,
  ) {
    const blocks = work.weightBlocks[0];
    const { from, to } = firstLayerRange(work, team.index, team.size);
    this.gradBlocks = blocks.slice(from, to);
    this.f0 = to > from ? blocks[from].f0 : 0;
    this.f1 = to > from ? blocks[to - 1].f1 : 0;
    // Each first-layer block's weights' rows, then its biases (work.firstLayerParams).
    const blocksOf = (at: number[]) => at.flatMap((i) => [optimizer.blocks[i], optimizer.blocks[i + 1]]);
    this.ownUpdates = blocksOf(work.firstLayerParams.slice(from, to));
    const firstLayer = new Set(blocksOf(work.firstLayerParams));
    this.sharedUpdates = optimizer.blocks.filter((b) => !firstLayer.has(b));
  }

  /** Whether a team splits its first layer: a team of two or more, a model with a hidden layer. */
  static applies(team: Team, work: WorkPlan): boolean {
    return team.size > 1 && work.firstLayerParams.length > 0;
  }

  /** z of the first hidden layer for this thread's features and all `rows` rows of the gathered batch. */
  forward(rows: number): void {
    if (this.f1 === this.f0) return;
    const lin = this.net.views.linears[0];
    const x = this.net.inputOf(0).data;
    const z = this.net.mem.layers[0].z.data;
    this.k.linearForwardFeatures(x, lin.w, lin.b, z, rows, lin.inDim, lin.outDim, this.f0, this.f1);
  }
}
