/**
 * Progress of `ablate run`: on a terminal, one line redrawn in place (runs done, the current
 * run's epoch, an ETA from the epochs finished so far); otherwise plain lines as runs start (when
 * their team starts training, with its size) and finish. Writes to stderr so `--json` output on stdout stays clean.
 */
import type { RunSummary } from '../services/experiments/types.js';
import type { ExperimentEvent } from '../shared/types/events.js';
import { isHealthy, runState, STATE_WORDS, stateText, stateTone } from '../shared/run-state.js';
import { weightsLabel, weightsOf } from '../shared/run-weights.js';
import { colorsOn, paint } from './color.js';

export class ProgressReporter {
  private readonly tty: boolean;
  private total = 0;
  private totalEpochs = 0;
  private doneRuns = 0;
  private epochsDone = 0;
  private readonly current = new Map<string, { epoch: number; epochs: number }>();
  private readonly started = Date.now();
  private lastDraw = 0;

  private readonly color: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    /** One of several processes training the experiment (ablate run --claim): "to train" is shared with the others. */
    private readonly o: { shared?: boolean } = {},
  ) {
    this.tty = Boolean(out.isTTY);
    this.color = colorsOn(out);
  }

  handle(e: ExperimentEvent): void {
    if (e.type === 'experiment-started') {
      const todo = e.runs.filter((r) => !e.skipped.includes(r.runId));
      this.total = todo.length;
      this.totalEpochs = todo.reduce((a, r) => a + r.epochs, 0);
      const shared = this.o.shared ? ' (with the other processes working on it)' : '';
      this.line(
        `experiment ${e.experimentId}: ${e.runs.length} runs, ${e.skipped.length} already complete, ${todo.length} to train${shared}`,
      );
    } else if (e.type === 'run-started') {
      this.current.set(e.runId, { epoch: 0, epochs: 0 });
      if (!this.tty) this.line(`  started ${e.runId} on ${e.threads} worker${e.threads === 1 ? '' : 's'}`);
    } else if (e.type === 'run-progress') {
      const finishedEpochs = e.records.filter((r) => r.kind === 'epoch').length;
      this.epochsDone += finishedEpochs;
      this.current.set(e.runId, { epoch: e.epoch + 1, epochs: e.epochs });
      this.draw();
    } else if (e.type === 'run-finished') {
      this.doneRuns++;
      const skippedEpochs = Math.max(0, (this.current.get(e.runId)?.epochs ?? 0) - e.summary.epochsRun);
      this.totalEpochs -= skippedEpochs; // early stops shorten the work left
      this.current.delete(e.runId);
      const count = this.o.shared ? `${this.doneRuns} here` : `${this.doneRuns}/${this.total}`;
      this.line(`  [${count}] ${e.runId}: ${finishedLine(e.summary, this.color)}`);
    } else if (e.type === 'experiment-finished') {
      this.line(`finished in ${seconds((Date.now() - this.started) / 1000)}`);
    }
  }

  private draw(): void {
    if (!this.tty || Date.now() - this.lastDraw < 100) return;
    this.lastDraw = Date.now();
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = this.epochsDone > 0 ? ((this.totalEpochs - this.epochsDone) * elapsed) / this.epochsDone : NaN;
    const width = 24;
    const filled = this.total ? Math.round((width * this.doneRuns) / this.total) : 0;
    const [runId, cur] = [...this.current.entries()].at(-1) ?? ['', { epoch: 0, epochs: 0 }];
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.doneRuns}/${this.total} runs | ${runId} epoch ${cur.epoch}/${cur.epochs} | ETA ${Number.isFinite(eta) ? seconds(eta) : '...'}`;
    this.out.write(`\r${text.slice(0, (this.out.columns ?? 120) - 1)}\x1b[K`);
  }

  /** A line of its own (waiting for other processes, a signal), between progress lines. */
  note(text: string): void {
    this.line(text);
  }

  private line(text: string): void {
    this.out.write(this.tty ? `\r\x1b[K${text}\n` : `${text}\n`);
  }
}

/**
 * How a run ended, in the run-state model's words, with the figures of the weights it kept and
 * their epoch: "stopped early at epoch 9 (weights of epoch 6, restored best: val loss 0.31, val
 * accuracy 0.91)"; a run that did not finish gives its reason.
 */
export function finishedLine(s: RunSummary, color = false): string {
  const state = runState({ stored: { summary: s }, live: null });
  const tone = stateTone(state.state);
  if (!isHealthy(state.state)) {
    // "diverged at step 12 (epoch 1): the training loss ...", "cancelled at step 5 (epoch 1)", "failed: ..."
    return paint(s.stopReason.startsWith(STATE_WORDS[state.state]) ? s.stopReason : stateText(state, s), tone, color);
  }
  const text = paint(stateText(state, s), tone, color);
  const w = weightsOf(s);
  const m = w.metrics;
  const figures = [
    m?.valLoss != null ? `val loss ${fmt(m.valLoss)}` : `train loss ${fmt(m?.trainLoss)}`,
    m?.valAccuracy != null
      ? `val accuracy ${fmt(m.valAccuracy)}`
      : m?.trainAccuracy != null
        ? `train accuracy ${fmt(m.trainAccuracy)}`
        : null,
  ].filter(Boolean);
  return `${text} (weights of ${weightsLabel(w)}: ${figures.join(', ')})`;
}

export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(digits - 2);
  return Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(digits);
}

export function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}
