// Progress of `itinera run` on stderr, for every planner. On a terminal: one frame redrawn in place (header, the
// task tree folded to fit, the episode's status line) that is left on screen once when its episode ends, so the
// summary prints below it. Elsewhere (logs, CI): a status line every few seconds, the tree's changes, a line per
// episode.
import type { EpisodeEvent, EpisodeSummary } from '@itinera/core';
import type { TaskTree } from '@itinera/core';
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

const outcome = (e: EpisodeSummary) => (e.success ? 'success' : `failed (${e.failure})`);

class LiveProgress implements Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly clock: () => number;
  private readonly region: LiveRegion;
  private readonly status = new EpisodeStatus();
  private readonly tree?: TreePanel;
  private episodes = 0;
  private lastDraw = -Infinity;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.clock = options.clock ?? (() => performance.now());
    this.region = liveRegion(this.stream);
    this.tree = options.tree && new TreePanel(options.tree);
  }

  event(e: EpisodeEvent): void {
    this.status.event(e);
    this.tree?.event(e);
    if (e.type === 'reset' || e.type.startsWith('subgoal') || this.clock() - this.lastDraw >= REDRAW_MS) this.draw();
  }

  /** The episode's last frame, with its outcome, stays on screen; the next episode draws below it. */
  episodeDone(e: EpisodeSummary): void {
    this.draw(` · ${outcome(e)}`);
    this.episodes++;
    this.region.keep();
  }

  stop(): void {
    this.region.keep();
  }

  private draw(outcome = ''): void {
    this.lastDraw = this.clock();
    const header = `${this.options.label} · episode ${this.episodes + 1}/${this.options.total} seed ${this.status.seed}${outcome}`;
    // Header, tree, status line, and a line free for the cursor.
    const treeHeight = screenSize(this.stream).rows - 3;
    const tree = this.tree && treeHeight >= 2 ? this.tree.lines(treeHeight, this.status.t) : [];
    this.region.update([header, ...tree, this.status.line(!this.tree)]);
  }
}

class LineProgress implements Progress {
  private readonly stream: NodeJS.WriteStream;
  private readonly clock: () => number;
  private readonly status = new EpisodeStatus();
  private readonly log?: TreeLog;
  private episodes = 0;
  private successes = 0;
  private lastLine = -Infinity;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.clock = options.clock ?? (() => performance.now());
    this.log = options.tree && new TreeLog(this.stream);
  }

  event(e: EpisodeEvent): void {
    this.status.event(e);
    this.log?.event(e);
    if (e.type === 'reset') this.lastLine = -Infinity;
    // The first step's line says the episode is under way; then one every few seconds.
    if (e.type === 'tick' && this.clock() - this.lastLine >= STATUS_EVERY_MS) {
      this.lastLine = this.clock();
      this.stream.write(`${this.prefix()} · ${this.status.line()}\n`);
    }
  }

  episodeDone(e: EpisodeSummary): void {
    const prefix = this.prefix();
    this.episodes++;
    if (e.success) this.successes++;
    this.stream.write(`${prefix} ${outcome(e)} in ${e.steps} steps · success ${(this.successes / this.episodes).toFixed(2)}\n`);
  }

  stop(): void {}

  private prefix(): string {
    return `${this.options.label}: episode ${this.episodes + 1}/${this.options.total} seed ${this.status.seed}`;
  }
}
