// Walks a task tree as the episode unfolds: one active skill at a time; on failure or timeout the enclosing
// method fails and the task's next applicable method is tried, up the tree until one applies or the root fails.
import { TASK_LEVEL, type CompoundTask, type EpisodeEvent, type Method, type Situation, type Skill, type TaskTree, type TreeNode } from '@itinera/core';

export type SubgoalEvent = Extract<EpisodeEvent, { type: 'subgoal-start' | 'subgoal-done' | 'subgoal-failed' }>;

/** What changed at the task level on one update: reasons for the task level to replan. */
export type TreeSignal = 'skill-done' | 'skill-failed' | 'skill-timeout' | 'tree-done' | 'tree-failed';

interface Frame {
  task: CompoundTask;
  method: number;
  step: number;
}

export type ExecutorStatus = 'idle' | 'running' | 'done' | 'failed';

export class TreeExecutor {
  private stack: Frame[] = [];
  private active: { skill: Skill; since: number } | undefined;
  private state: ExecutorStatus = 'idle';
  private now: Situation | undefined;
  private ended = false;

  constructor(
    readonly tree: TaskTree,
    private readonly emit: (event: SubgoalEvent) => void,
  ) {}

  reset(): void {
    this.stack = [];
    this.active = undefined;
    this.state = 'idle';
    this.ended = false;
  }

  get status(): ExecutorStatus {
    return this.state;
  }

  get skill(): Skill | undefined {
    return this.active?.skill;
  }

  /** Seconds the active skill has run. */
  skillAge(time: number): number {
    return this.active ? time - this.active.since : 0;
  }

  /** Names from the root task down to the active skill, methods included: what a display highlights. */
  get path(): string[] {
    const names = this.stack.flatMap((f) => [f.task.name, f.task.methods[f.method].name]);
    return this.active ? [...names, this.active.skill.name] : names;
  }

  /** Checks the active skill against what is observed now; advances, falls back or finishes as needed. */
  update(s: Situation): TreeSignal | undefined {
    this.now = s;
    let signal: TreeSignal | undefined;
    if (this.state === 'idle') {
      this.state = 'running';
      this.enter(this.tree.root);
    }
    // Several skills may complete at once (a door already open); the bound keeps a broken tree from spinning.
    for (let guard = 0; guard < 256 && this.state === 'running' && this.active; guard++) {
      const { skill, since } = this.active;
      if (skill.success(s)) {
        signal ??= 'skill-done';
        this.finishSkill();
        continue;
      }
      const reason = skill.failure?.(s) ?? (s.time - since > skill.budget ? 'timeout' : undefined);
      if (reason === undefined) break;
      signal = reason === 'timeout' ? 'skill-timeout' : 'skill-failed';
      this.event('subgoal-failed', skill.name, reason);
      this.active = undefined;
      this.failMethod(`${skill.name}: ${reason}`);
    }
    // The tree's end is signalled once, on the update that ended it.
    if (this.state === 'done' && !this.ended) return (this.ended = true), 'tree-done';
    if (this.state === 'failed' && !this.ended) return (this.ended = true), 'tree-failed';
    return this.state === 'running' ? signal : undefined;
  }

  private enter(node: TreeNode): void {
    if (node.kind === 'skill') {
      this.active = { skill: node, since: this.now!.time };
      this.event('subgoal-start', node.name);
      return;
    }
    this.event('subgoal-start', node.name);
    const frame: Frame = { task: node, method: -1, step: 0 };
    this.stack.push(frame);
    this.chooseMethod(frame, 0, 'no applicable method');
  }

  /** Starts the first applicable method from `from`; when none is left the task fails. */
  private chooseMethod(frame: Frame, from: number, why: string): void {
    const methods = frame.task.methods;
    for (let m = from; m < methods.length; m++) {
      if (!applies(methods[m], this.now!)) continue;
      frame.method = m;
      frame.step = 0;
      this.event('subgoal-start', methods[m].name);
      this.enter(methods[m].steps[0]);
      return;
    }
    this.event('subgoal-failed', frame.task.name, why);
    this.stack.pop();
    if (this.stack.length === 0) this.state = 'failed';
    else this.failMethod(`${frame.task.name}: ${why}`);
  }

  private failMethod(reason: string): void {
    const frame = this.stack[this.stack.length - 1];
    this.event('subgoal-failed', frame.task.methods[frame.method].name, reason);
    this.chooseMethod(frame, frame.method + 1, `no method left (last: ${reason})`);
  }

  private finishSkill(): void {
    this.event('subgoal-done', this.active!.skill.name);
    this.active = undefined;
    this.advance();
  }

  private advance(): void {
    const frame = this.stack[this.stack.length - 1];
    const method = frame.task.methods[frame.method];
    frame.step++;
    if (frame.step < method.steps.length) return this.enter(method.steps[frame.step]);
    this.event('subgoal-done', method.name);
    this.event('subgoal-done', frame.task.name);
    this.stack.pop();
    if (this.stack.length === 0) this.state = 'done';
    else this.advance();
  }

  private event(type: SubgoalEvent['type'], name: string, reason?: string): void {
    const { time: t, step } = this.now!;
    this.emit(type === 'subgoal-failed' ? { type, t, step, name, level: TASK_LEVEL, reason: reason ?? 'failed' } : { type, t, step, name, level: TASK_LEVEL });
  }
}

function applies(m: Method, s: Situation): boolean {
  return m.precondition ? m.precondition(s) : true;
}
