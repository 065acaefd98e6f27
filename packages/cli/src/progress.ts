// Progress of `itinera run` on stderr, for every planner. On a terminal: one frame redrawn in place (header, the
// task tree folded to fit, the episode's status line) that is left on screen once when its episode ends, so the
// summary prints below it. Elsewhere (logs, CI): a status line every few seconds, the tree's changes, a line per
// episode.
import type { EpisodeEvent, EpisodeSummary } from '@itinera/core';
import type { TaskTree } from '@itinera/hierarchy';
import { EpisodeStatus } from './episode-status.js';
import { liveRegion, screenSize, type LiveRegion } from './live-region.js';
import { TreeLog, TreePanel } from './task-tree-display.js';

/** Redraws on a terminal at most this often, besides subgoal changes. */
const REDRAW_MS = 100;
/** Off a terminal, a status line at most this often per episode. */
export const STATUS_EVERY_MS = 5000;

export interface ProgressOptions {
  /** Episodes in the run. */
  total: number;
  /** Scenario · robot · planner. */
  label: string;
  /** The task tree of a hierarchical planner. */
  tree?: TaskTree;
  stream?: NodeJS.WriteStream;
  /** Milliseconds, for tests. */
  clock?: () => number;
}

export interface Progress {
  event(e: EpisodeEvent): void;
  episodeDone(e: EpisodeSummary): void;
  /** Ends the display; what follows on the stream starts on a line of its own. */
  stop(): void;
}

export function runProgress(options: ProgressOptions): Progress {
  return (options.stream ?? process.stderr).isTTY ? new LiveProgress(options) : new LineProgress(options);
}

abstract class Tally {
  protected readonly status = new EpisodeStatus();
  protected readonly clock: () => number;
  protected done = 0;
  protected successes = 0;
  protected readonly stream: NodeJS.WriteStream;

  constructor(protected readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.clock = options.clock ?? (() => performance.now());
  }

  protected count(e: EpisodeSummary): void {
    this.done++;
    if (e.success) this.successes++;
  }

  protected episode(): string {
    return `episode ${Math.min(this.done + 1, this.options.total)}/${this.options.total} seed ${this.status.seed}`;
  }
}

class LiveProgress extends Tally implements Progress {
  private readonly region: LiveRegion;
  private readonly tree?: TreePanel;
  private lastDraw = -Infinity;
  private outcome = '';

  constructor(options: ProgressOptions) {
    super(options);
    this.region = liveRegion(this.stream);
    this.tree = options.tree && new TreePanel(options.tree);
  }

  event(e: EpisodeEvent): void {
    this.status.event(e);
    this.tree?.event(e);
    if (e.type === 'reset') this.outcome = '';
    if (e.type === 'done') this.outcome = e.success ? 'success' : `failed (${e.failure})`;
    const changed = e.type === 'reset' || e.type === 'done' || e.type.startsWith('subgoal');
    if (changed || this.clock() - this.lastDraw >= REDRAW_MS) this.draw();
  }

  episodeDone(e: EpisodeSummary): void {
    this.outcome ||= e.success ? 'success' : `failed (${e.failure})`;
    this.draw();
    this.count(e);
    this.region.keep();
  }

  stop(): void {
    this.region.keep();
  }

  private draw(): void {
    this.lastDraw = this.clock();
    const header = `${this.options.label} · ${this.episode()}${this.outcome ? ` · ${this.outcome}` : ''}`;
    // The frame keeps a line free for the cursor: header, tree, status.
    const treeHeight = screenSize(this.stream).rows - 3;
    const tree = this.tree && treeHeight >= 2 ? this.tree.lines(treeHeight, this.status.t) : [];
    this.region.update([header, ...tree, this.status.line(!this.tree)]);
  }
}

class LineProgress extends Tally implements Progress {
  private readonly log?: TreeLog;
  private lastLine = -Infinity;

  constructor(options: ProgressOptions) {
    super(options);
    this.log = options.tree && new TreeLog(this.stream);
  }

  event(e: EpisodeEvent): void {
    this.status.event(e);
    this.log?.event(e);
    if (e.type === 'reset') this.lastLine = -Infinity;
    // The first step's line says the episode is under way; then one every few seconds.
    if (e.type === 'tick' && this.clock() - this.lastLine >= STATUS_EVERY_MS) {
      this.lastLine = this.clock();
      this.stream.write(`${this.options.label}: ${this.episode()} · ${this.status.line()}\n`);
    }
  }

  episodeDone(e: EpisodeSummary): void {
    const episode = this.episode();
    this.count(e);
    const outcome = e.success ? 'success' : `failed (${e.failure})`;
    this.stream.write(`${this.options.label}: ${episode} ${outcome} in ${e.steps} steps · success ${(this.successes / this.done).toFixed(2)}\n`);
  }

  stop(): void {}
}
