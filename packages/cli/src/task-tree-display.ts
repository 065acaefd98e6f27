// The task tree of a hierarchical episode on stderr: a compact panel redrawn in place on a terminal (see
// progress.ts), one line per change otherwise (logs, CI).
import type { EpisodeEvent, Planner, TaskTree } from '@itinera/core';
import { layOutPanel, TreeMarks, treeRows, type TreeRow } from './task-tree-panel.js';

/** The task tree a planner runs, if it runs one. */
export function taskTreeOf(planner: Planner): TaskTree | undefined {
  return planner.levels?.taskTree;
}

/** The tree's marks, folded to a height, with the latest task-level replans on the last line. */
export class TreePanel {
  private readonly rows: TreeRow[];
  private readonly marks = new TreeMarks();
  private readonly replans: string[] = [];

  constructor(tree: TaskTree) {
    this.rows = treeRows(tree);
  }

  event(e: EpisodeEvent): void {
    this.marks.event(e);
    if (e.type === 'reset') this.replans.length = 0;
    else if (e.type === 'replan' && e.level > 0) this.replans.unshift(`L${e.level} ${e.reason} @${e.t.toFixed(1)}s`);
    this.replans.length = Math.min(this.replans.length, 2);
  }

  /** At most `height` lines (at least 2 for the tree to show); `now` times the active subgoal. */
  lines(height: number, now: number): string[] {
    const panel = layOutPanel(this.rows, this.marks, now, height - 1);
    const folded = panel.folded > 0 ? `${panel.folded} folded · ` : '';
    return [...panel.lines, `${folded}replans: ${this.replans.join(' · ') || '-'}`].slice(-height);
  }
}

/** One line per subgoal change and task-level replan; the episode's end closes what is under way. */
export class TreeLog {
  private readonly marks = new TreeMarks();

  constructor(private readonly stream: NodeJS.WritableStream) {}

  event(e: EpisodeEvent): void {
    const at = `[${e.t.toFixed(2).padStart(6)} s]`;
    const closed = this.marks.event(e);
    const changed = e.type === 'subgoal-start' || e.type === 'subgoal-done' || e.type === 'subgoal-failed' ? [e.name] : closed;
    for (const name of changed) this.stream.write(`${at} ${this.marks.text(name)}\n`);
    if (e.type === 'replan' && e.level > 0 && e.reason !== 'waypoint-reached') this.stream.write(`${at}   replan L${e.level}: ${e.reason}\n`);
  }
}
