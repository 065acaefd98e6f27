// The task tree live on stderr while `itinera run` plays a hierarchical episode: the current subgoal, done and
// failed marks, the latest replans with level and reason. Redrawn in place on a terminal; one line per change
// otherwise (logs, CI).
import type { EpisodeEvent, Planner, TaskTree, TreeNode } from '@itinera/core';

type Mark = 'active' | 'done' | 'failed';
const SYMBOL: Record<Mark | 'pending', string> = { pending: '·', active: '▶', done: '✔', failed: '✘' };
const REDRAW_MS = 100;

interface Row {
  name: string;
  depth: number;
}

export interface TaskTreeDisplay {
  event(event: EpisodeEvent): void;
  /** Draws the final state and stops redrawing. */
  close(): void;
}

/** A display for planners that run a task tree; undefined for the others. */
export function taskTreeDisplay(planner: Planner, stream: NodeJS.WriteStream = process.stderr): TaskTreeDisplay | undefined {
  const tree = planner.levels?.taskTree;
  if (!tree) return undefined;
  return stream.isTTY ? new LiveTree(tree, stream) : new TreeLog(stream);
}

/** Rows of the tree in display order: tasks, their methods, skills, indented by depth. */
function rows(tree: TaskTree): Row[] {
  const out: Row[] = [];
  const visit = (node: TreeNode, depth: number): void => {
    out.push({ name: node.name, depth });
    if (node.kind === 'task') for (const m of node.methods) {
      out.push({ name: m.name, depth: depth + 1 });
      m.steps.forEach((s) => visit(s, depth + 2));
    }
  };
  visit(tree.root, 0);
  return out;
}

class LiveTree implements TaskTreeDisplay {
  private readonly rows: Row[];
  private readonly marks = new Map<string, { mark: Mark; since: number; reason?: string }>();
  private readonly replans: string[] = [];
  private header = '';
  private drawn = 0;
  private lastDraw = 0;
  private now = 0;

  constructor(readonly tree: TaskTree, private readonly stream: NodeJS.WriteStream) {
    this.rows = rows(tree);
  }

  event(e: EpisodeEvent): void {
    this.now = e.t;
    if (e.type === 'reset') {
      this.marks.clear();
      this.replans.length = 0;
      this.header = `${e.scenario} · seed ${e.seed} · ${e.planner}`;
    } else if (e.type === 'subgoal-start') this.marks.set(e.name, { mark: 'active', since: e.t });
    else if (e.type === 'subgoal-done') this.marks.set(e.name, { mark: 'done', since: e.t });
    else if (e.type === 'subgoal-failed') this.marks.set(e.name, { mark: 'failed', since: e.t, reason: e.reason });
    else if (e.type === 'replan' && e.level > 0) this.replans.unshift(`L${e.level} ${e.reason} @${e.t.toFixed(1)}s`);
    this.replans.length = Math.min(this.replans.length, 3);
    const important = e.type === 'reset' || e.type === 'done' || e.type.startsWith('subgoal');
    if (important || performance.now() - this.lastDraw > REDRAW_MS) this.draw(e.type === 'done' ? (e.success ? 'success' : `failed (${e.failure})`) : undefined);
  }

  close(): void {
    this.drawn = 0;
  }

  private draw(outcome?: string): void {
    this.lastDraw = performance.now();
    const lines = [`${this.header} · t ${this.now.toFixed(1)} s${outcome ? ` · ${outcome}` : ''}`];
    for (const row of this.rows) {
      const m = this.marks.get(row.name);
      const extra = m?.mark === 'active' ? `  (${(this.now - m.since).toFixed(1)} s)` : m?.mark === 'failed' ? `  — ${m.reason}` : '';
      lines.push(`${'  '.repeat(row.depth)}${SYMBOL[m?.mark ?? 'pending']} ${row.name}${extra}`);
    }
    lines.push(`replans: ${this.replans.join(' · ') || '-'}`);
    // Move up over the previous drawing and overwrite it line by line.
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
    this.stream.write(up + lines.map((l) => `\x1b[2K${l}`).join('\n') + '\n');
    this.drawn = lines.length;
  }
}

class TreeLog implements TaskTreeDisplay {
  constructor(private readonly stream: NodeJS.WriteStream) {}

  event(e: EpisodeEvent): void {
    const at = `[${e.t.toFixed(2).padStart(6)} s]`;
    if (e.type === 'subgoal-start') this.stream.write(`${at} ${SYMBOL.active} ${e.name}\n`);
    else if (e.type === 'subgoal-done') this.stream.write(`${at} ${SYMBOL.done} ${e.name}\n`);
    else if (e.type === 'subgoal-failed') this.stream.write(`${at} ${SYMBOL.failed} ${e.name} — ${e.reason}\n`);
    else if (e.type === 'replan' && e.level > 0 && e.reason !== 'waypoint-reached') this.stream.write(`${at}   replan L${e.level}: ${e.reason}\n`);
  }

  close(): void {}
}
