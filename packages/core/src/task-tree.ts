// Task trees as data (HTN-like): a task has methods; a method is an ordered list of subtasks with a precondition;
// a leaf is a skill with success and failure predicates, a subgoal for the level below and a time budget.
import { ItineraError } from './errors.js';
import type { Situation, Subgoal } from './situation.js';

/** Planning levels: control (level-0 planners), waypoints (a level-1 model), and the task tree. */
export const CONTROL_LEVEL = 0;
export const WAYPOINT_LEVEL = 1;
export const TASK_LEVEL = 2;

export interface Skill {
  readonly kind: 'skill';
  /** Unique in its tree; subgoal events and the summary use it. */
  readonly name: string;
  /** The plain-data objective of the level below, from what is observed now. */
  subgoal(s: Situation): Subgoal;
  success(s: Situation): boolean;
  /** A reason when the skill has failed for good (the elevator is out of service). */
  failure?(s: Situation): string | undefined;
  /** Simulated seconds before the skill fails with 'timeout'. */
  readonly budget: number;
  /** Whether the middle level plans waypoints toward the subgoal's target (else the low level goes straight). */
  readonly navigate?: boolean;
  /** A waiting skill (for a car, a taxi): once settled at its target the low level rests instead of planning. */
  readonly idle?: boolean;
}

export interface Method {
  readonly name: string;
  /** When absent the method always applies. */
  precondition?(s: Situation): boolean;
  readonly steps: readonly TreeNode[];
}

export interface CompoundTask {
  readonly kind: 'task';
  readonly name: string;
  /** Tried in order: when one fails, the next applicable one is. */
  readonly methods: readonly Method[];
}

export type TreeNode = Skill | CompoundTask;

/** Something in the world that changed and may make the current plan stale (a door closed, the taxi stopped). */
export interface WorldEvent {
  readonly name: string;
  happened(previous: Situation, now: Situation): boolean;
}

export interface TaskTree {
  readonly name: string;
  readonly root: CompoundTask;
  /** Observation channels its predicates read: the env must provide them (checked when the planner is built). */
  readonly channels: readonly string[];
  readonly worldEvents?: readonly WorldEvent[];
}

export function skill(definition: Omit<Skill, 'kind'>): Skill {
  return { kind: 'skill', ...definition };
}

export function task(name: string, methods: readonly Method[]): CompoundTask {
  return { kind: 'task', name, methods };
}

export function method(name: string, steps: readonly TreeNode[], precondition?: (s: Situation) => boolean): Method {
  return precondition ? { name, steps, precondition } : { name, steps };
}

/** Checks names are unique and methods non-empty; returns the tree. */
export function defineTaskTree(tree: TaskTree): TaskTree {
  const seen = new Set<string>();
  const problems: string[] = [];
  const visit = (node: TreeNode): void => {
    if (seen.has(node.name)) problems.push(`task tree '${tree.name}': the name '${node.name}' is used twice`);
    seen.add(node.name);
    if (node.kind === 'skill') {
      if (!(node.budget > 0)) problems.push(`task tree '${tree.name}': skill '${node.name}' needs a positive time budget`);
      return;
    }
    if (node.methods.length === 0) problems.push(`task tree '${tree.name}': task '${node.name}' has no method`);
    for (const m of node.methods) {
      if (seen.has(m.name)) problems.push(`task tree '${tree.name}': the name '${m.name}' is used twice`);
      seen.add(m.name);
      if (m.steps.length === 0) problems.push(`task tree '${tree.name}': method '${m.name}' has no step`);
      m.steps.forEach(visit);
    }
  };
  visit(tree.root);
  if (problems.length > 0) throw new ItineraError(problems);
  return tree;
}

/** Channels the tree reads that the env does not provide. */
export function missingChannels(tree: TaskTree, names: readonly string[]): string[] {
  const have = new Set(names);
  return tree.channels.filter((c) => !have.has(c));
}
