// The task tree as a compact panel: marks from the episode's subgoal events, closed when the episode ends, and
// folded around the focus path (the subgoal started last and its ancestors) to fit a given height.
import type { EpisodeEvent } from '@itinera/core';
import type { TaskTree, TreeNode } from '@itinera/core';

export type Mark = 'pending' | 'active' | 'done' | 'failed';
export const SYMBOL: Record<Mark, string> = { pending: '·', active: '▶', done: '✔', failed: '✘' };

export interface TreeRow {
  name: string;
  depth: number;
  parent: number;
  /** Rows below this one in its subtree. */
  descendants: number;
}

/** Rows of the tree in display order: tasks, their methods (a method's children are its steps), skills. */
export function treeRows(tree: TaskTree): TreeRow[] {
  const out: TreeRow[] = [];
  const add = (name: string, depth: number, parent: number, addChildren: (self: number) => void): void => {
    const self = out.push({ name, depth, parent, descendants: 0 }) - 1;
    addChildren(self);
    out[self].descendants = out.length - self - 1;
  };
  const node = (n: TreeNode, depth: number, parent: number): void =>
    add(n.name, depth, parent, (self) => {
      if (n.kind === 'task') for (const m of n.methods) add(m.name, depth + 1, self, (at) => m.steps.forEach((s) => node(s, depth + 2, at)));
    });
  node(tree.root, 0, -1);
  return out;
}

interface MarkEntry {
  mark: Exclude<Mark, 'pending'>;
  since: number;
  reason?: string;
}

/** What the episode's events say about each node; at the episode's end no node is left active. */
export class TreeMarks {
  private readonly marks = new Map<string, MarkEntry>();
  /** The subgoal started last: the panel unfolds the path down to it. */
  focus: string | undefined;

  /** Applies one event; returns the subgoals the episode's end closed, innermost first. */
  event(e: EpisodeEvent): string[] {
    if (e.type === 'reset') {
      this.marks.clear();
      this.focus = undefined;
    } else if (e.type === 'subgoal-start') {
      this.marks.set(e.name, { mark: 'active', since: e.t });
      this.focus = e.name;
    } else if (e.type === 'subgoal-done') this.marks.set(e.name, { mark: 'done', since: e.t });
    else if (e.type === 'subgoal-failed') this.marks.set(e.name, { mark: 'failed', since: e.t, reason: e.reason });
    else if (e.type === 'done') return this.close(e.success, e.failure);
    return [];
  }

  /** The episode's outcome closes what is under way: the scenario's success ends it before the tree sees it. */
  private close(success: boolean, failure?: string): string[] {
    const active = [...this.marks].filter(([, m]) => m.mark === 'active').reverse();
    for (const [name, m] of active) this.marks.set(name, success ? { mark: 'done', since: m.since } : { mark: 'failed', since: m.since, reason: failure ?? 'episode failed' });
    return active.map(([name]) => name);
  }

  mark(name: string): Mark {
    return this.marks.get(name)?.mark ?? 'pending';
  }

  /** `✘ name — reason`; `now` adds how long an active subgoal has run. */
  text(name: string, now?: number): string {
    const m = this.marks.get(name);
    const extra = m?.mark === 'active' && now !== undefined ? `  (${(now - m.since).toFixed(1)} s)` : m?.mark === 'failed' ? `  — ${m.reason}` : '';
    return `${SYMBOL[m?.mark ?? 'pending']} ${name}${extra}`;
  }
}

interface Item {
  row: number;
  depth: number;
  mark: Mark;
  text: string;
  /** Nodes this line stands for: 1 for a node, the run's length for a folded run of siblings. */
  count: number;
  onPath: boolean;
}

export interface Panel {
  lines: string[];
  /** Nodes not shown as a line of their own. */
  folded: number;
}

/**
 * The tree in at most `height` lines. Only the focus path is unfolded (finished and untried branches show as one
 * line); when that is still too tall, runs of finished or untried siblings become one line each, then lines off
 * the path are dropped, untried first, then finished, failed last.
 */
export function layOutPanel(rows: readonly TreeRow[], marks: TreeMarks, now: number, height: number): Panel {
  if (height <= 0) return { lines: [], folded: rows.length };
  const path = focusPath(rows, marks.focus);
  let items: Item[] = [];
  for (let r = 0; r < rows.length; ) {
    const row = rows[r];
    items.push({ row: r, depth: row.depth, mark: marks.mark(row.name), text: marks.text(row.name, now), count: 1, onPath: path.has(r) });
    // Unfold the root and the focus path; skip the subtree of anything else.
    r += r === 0 || path.has(r) ? 1 : row.descendants + 1;
  }
  if (items.length > height) items = foldRuns(items, rows);
  for (const mark of ['pending', 'done', 'failed'] as const) {
    for (let i = items.length - 1; i >= 0 && items.length > height; i--) if (!items[i].onPath && items[i].mark === mark) items.splice(i, 1);
  }
  // A path deeper than the height keeps its deepest lines.
  if (items.length > height) items = items.slice(items.length - height);
  return { lines: items.map((it) => '  '.repeat(it.depth) + it.text), folded: rows.length - items.filter((it) => it.count === 1).length };
}

/** Row indices from the root down to the focus (the first row of that name). */
function focusPath(rows: readonly TreeRow[], focus: string | undefined): Set<number> {
  const path = new Set<number>();
  for (let r = rows.findIndex((row) => row.name === focus); r >= 0; r = rows[r].parent) path.add(r);
  return path;
}

/** Runs of two or more consecutive siblings off the path, all finished or all untried, as one line each. */
function foldRuns(items: Item[], rows: readonly TreeRow[]): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < items.length; ) {
    const first = items[i];
    let j = i + 1;
    const foldable = !first.onPath && (first.mark === 'done' || first.mark === 'pending');
    while (foldable && j < items.length && !items[j].onPath && items[j].mark === first.mark && rows[items[j].row].parent === rows[first.row].parent) j++;
    if (j - i >= 2) out.push({ ...first, count: j - i, text: `${SYMBOL[first.mark]} ${j - i} ${first.mark === 'done' ? 'done' : 'untried'}: ${items.slice(i, j).map((it) => rows[it.row].name).join(', ')}` });
    else out.push(first);
    i = foldable ? j : i + 1;
  }
  return out;
}
