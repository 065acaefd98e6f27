// The multi-level planner: the task tree picks the skill, the middle level plans waypoints on a level-1 model,
// and ANY low-level Planner tracks them. It decorates the low-level planner through the Planner interface: the
// subgoal reaches the level below as plain data written into the snapshot the low level rolls out from. Its levels
// (core's PlannerLevels) hand the runtime the triggers that decide each replan; the planner only follows them.
import {
  constantPolicy,
  TASK_LEVEL,
  WAYPOINT_LEVEL,
  type Channels,
  type EnvSnapshot,
  type EpisodeEvent,
  type LevelSummary,
  type LevelTick,
  type LevelTrigger,
  type MobileBody,
  type Planner,
  type PlannerLevels,
  type PlanRequest,
  type Policy,
  type Situation,
  type Skill,
  type Subgoal,
  type TaskTree,
  type WaypointStart,
} from '@itinera/core';
import { TreeExecutor, type ExecutorStatus, type TreeSignal } from './executor.js';
import { representationGap } from './waypoint-model.js';
import type { WaypointPlanner } from './waypoint-planner.js';

export interface HierarchyConfig {
  /** Level-1 surprise (gap between predicted and observed representation) above which waypoints are replanned. */
  surpriseThreshold: number;
  /** A waypoint counts as reached within this distance (m). */
  reachedRadius: number;
  /** Navigating but moved less than `stallDistance` m over `stallSeconds`: stalled, the runtime replans the waypoints. */
  stallSeconds: number;
  stallDistance: number;
}

export const HIERARCHY_DEFAULTS: HierarchyConfig = { surpriseThreshold: 0.8, reachedRadius: 0.35, stallSeconds: 2, stallDistance: 0.15 };

/** What one tick means for the levels above control: the raw material of the replanning triggers. */
export interface LevelReport {
  step: number;
  /** Task level: a skill finished, failed or timed out, or the whole tree ended. */
  task?: TreeSignal;
  /** Names of the tree's world events that happened since the previous tick. */
  worldEvents: string[];
  /** Level 1: gap between the representation predicted when the waypoints were planned and the one observed (NaN without waypoints). */
  surprise: number;
  waypointReached: boolean;
  /** The robot's position in the plane, for stall detection. */
  position?: [number, number];
}

export interface HierarchicalPlannerParts {
  tree: TaskTree;
  low: Planner;
  channels: Channels;
  /** Writes the subgoal into the snapshot the low level plans from (never the live env): the env's SubgoalWriter. */
  withSubgoal(snapshot: EnvSnapshot, subgoal: Subgoal): EnvSnapshot;
  /** Reads a mobile robot's pose from the observation; without one, no waypoints and no holding still. */
  body?: MobileBody;
  /** The middle level; without it, navigating skills head straight for their target. */
  middle?: WaypointPlanner;
  /** What the levels above control plan on, top first, for run reports. */
  above?: readonly LevelSummary[];
  /** The low level's planner name, for run reports. */
  controlPlanner?: string;
  /** Actuator count: a settled idle skill rests with zero commands instead of planning. */
  actionSize?: number;
  config?: Partial<HierarchyConfig>;
}

interface WaypointPlan {
  list: Float64Array;
  endsAtTarget: boolean;
  index: number;
  start: WaypointStart;
  time: number;
  skill: Skill;
}

export class HierarchicalPlanner implements Planner {
  readonly name = 'hierarchical';
  readonly tree: TaskTree;
  readonly config: HierarchyConfig;
  readonly levels: PlannerLevels;
  private readonly executor: TreeExecutor;
  private readonly listeners = new Set<(event: EpisodeEvent) => void>();
  private report: LevelReport | undefined;
  private previous: Situation | undefined;
  private waypoints: WaypointPlan | undefined;
  private requestedLevel = -1;
  /** Step of the latest task-level replan: the tree changed, so every plan at that step replans the waypoints. */
  private taskReplanStep = -1;
  private readonly body: MobileBody | undefined;
  /** The subgoal handed to the low level last (for displays and tests). */
  lastSubgoal: Subgoal | undefined;

  constructor(private readonly parts: HierarchicalPlannerParts) {
    this.tree = parts.tree;
    this.config = { ...HIERARCHY_DEFAULTS, ...parts.config };
    this.executor = new TreeExecutor(parts.tree, (event) => this.emit(event));
    this.body = parts.body && parts.channels.hasAll(parts.body.channels) ? parts.body : undefined;
    this.levels = {
      triggers: this.triggers(),
      noteReplan: (level) => this.noteReplan(level),
      onEvent: (listener) => this.onEvent(listener),
      above: parts.above ?? [],
      controlPlanner: parts.controlPlanner ?? parts.low.name,
      taskTree: parts.tree,
    };
  }

  /** Task-level triggers first (the first read of a tick advances the planner to it), then the level-1 ones. */
  private triggers(): LevelTrigger[] {
    const report = (tick: LevelTick) => this.watch(tick);
    const { surpriseThreshold, stallSeconds, stallDistance } = this.config;
    return [
      { level: TASK_LEVEL, on: 'task', read: (tick) => report(tick).task },
      { level: TASK_LEVEL, on: 'world-events', read: (tick) => report(tick).worldEvents },
      { level: WAYPOINT_LEVEL, on: 'waypoint-reached', read: (tick) => report(tick).waypointReached },
      { level: WAYPOINT_LEVEL, on: 'surprise', read: (tick) => report(tick).surprise, threshold: surpriseThreshold },
      { level: WAYPOINT_LEVEL, on: 'stall', read: (tick) => report(tick).position, window: stallSeconds, minProgress: stallDistance, active: () => this.currentWaypoints !== undefined },
    ];
  }

  get status(): ExecutorStatus {
    return this.executor.status;
  }

  /** Root-to-skill names of what runs now. */
  get path(): string[] {
    return this.executor.path;
  }

  get currentWaypoints(): Float64Array | undefined {
    return this.waypoints?.list;
  }

  /** Subgoal events as they happen; returns the unsubscribe function. */
  onEvent(listener: (event: EpisodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The runtime says a replan was triggered at `level` (at the tick just watched): a level-1 replan makes the next
   * plan replan the waypoints, a task-level one every plan at that tick.
   */
  noteReplan(level: number): void {
    this.requestedLevel = Math.max(this.requestedLevel, level);
    if (level >= TASK_LEVEL && this.report) this.taskReplanStep = this.report.step;
  }

  /** Advances the task tree and the waypoint tracking to this tick; once per step (later calls return the same report). */
  watch(tick: LevelTick): LevelReport {
    if (this.report?.step === tick.step) return this.report;
    const s = this.parts.channels.situation(tick.observation, tick.time, tick.step);
    const task = this.executor.update(s);
    const worldEvents = this.previous ? (this.tree.worldEvents ?? []).filter((e) => e.happened(this.previous!, s)).map((e) => e.name) : [];
    this.previous = s;
    const pose = this.body?.pose(s);
    let waypointReached = false;
    let surprise = NaN;
    const plan = this.waypoints;
    if (plan && pose && this.parts.middle) {
      const count = plan.list.length / 2;
      const near = (i: number) => Math.hypot(plan.list[2 * i] - pose.x, plan.list[2 * i + 1] - pose.y) < this.config.reachedRadius;
      while (plan.index < count - 1 && near(plan.index)) {
        plan.index++;
        waypointReached = true;
      }
      // The last waypoint counts only when it falls short of the target (then the plan is used up); the target
      // itself is the skill's business.
      if (plan.index === count - 1 && !plan.endsAtTarget && near(plan.index)) {
        plan.index = count;
        waypointReached = true;
      }
      const model = this.parts.middle.model;
      surprise = representationGap(model.predict(plan.start, plan.list, tick.time - plan.time), model.represent(tick.observation, plan.start));
    }
    this.report = { step: tick.step, task, worldEvents, surprise, waypointReached, position: pose ? [pose.x, pose.y] : undefined };
    return this.report;
  }

  async plan(request: PlanRequest): Promise<Policy> {
    this.watch(request);
    const s = this.parts.channels.situation(request.observation, request.time, request.step);
    const subgoal = await this.subgoalFor(s);
    this.requestedLevel = -1;
    this.lastSubgoal = subgoal;
    if (this.parts.actionSize !== undefined && this.settled(s, subgoal)) return constantPolicy(new Float64Array(this.parts.actionSize));
    const snapshot = request.snapshot ? this.parts.withSubgoal(request.snapshot, subgoal) : undefined;
    return this.parts.low.plan({ ...request, ...(snapshot && { snapshot }) });
  }

  reset(seed: number): void {
    this.executor.reset();
    this.report = undefined;
    this.previous = undefined;
    this.waypoints = undefined;
    this.requestedLevel = -1;
    this.taskReplanStep = -1;
    this.lastSubgoal = undefined;
    this.parts.middle?.reset(seed);
    this.parts.low.reset(seed);
  }

  dispose(): void {
    this.listeners.clear();
    this.parts.low.dispose();
  }

  /** The active skill's subgoal, its target replaced by the current waypoint when the skill navigates. */
  private async subgoalFor(s: Situation): Promise<Subgoal> {
    const skill = this.executor.skill;
    const pose = this.body?.pose(s);
    // Tree done or failed: hold still where the robot is.
    if (!skill) return this.body && pose ? this.body.hold(s) : {};
    const subgoal = skill.subgoal(s);
    const middle = this.parts.middle;
    // Close to the target the low level goes straight for it.
    const close = subgoal.target && pose && Math.hypot(subgoal.target[0] - pose.x, subgoal.target[1] - pose.y) < 2 * this.config.reachedRadius;
    if (!skill.navigate || !middle || !subgoal.target || !pose || close) {
      this.waypoints = undefined;
      return subgoal;
    }
    if (this.waypointsStale(skill, subgoal, s.step)) {
      const start: WaypointStart = { observation: Float64Array.from(s.observation), subgoal };
      const list = await middle.plan(start, [pose.x, pose.y]);
      const n = list.length;
      const endsAtTarget = Math.hypot(list[n - 2] - subgoal.target[0], list[n - 1] - subgoal.target[1]) < this.config.reachedRadius;
      this.waypoints = { list, endsAtTarget, index: 0, start, time: s.time, skill };
    }
    const plan = this.waypoints!;
    const i = Math.min(plan.index, plan.list.length / 2 - 1);
    const target: [number, number] = [plan.list[2 * i], plan.list[2 * i + 1]];
    // An intermediate waypoint is passed through, not stopped at.
    const via = Math.hypot(target[0] - subgoal.target[0], target[1] - subgoal.target[1]) > this.config.reachedRadius;
    return { ...subgoal, target, via };
  }

  /** An idle skill whose robot already rests at its target as asked: nothing for the low level to do. */
  private settled(s: Situation, subgoal: Subgoal): boolean {
    return this.executor.skill?.idle === true && this.body !== undefined && this.body.settled(s, subgoal);
  }

  /** Waypoints are planned anew when a trigger asked for it (noteReplan), the skill or its target changed, or they are used up. */
  private waypointsStale(skill: Skill, subgoal: Subgoal, step: number): boolean {
    const plan = this.waypoints;
    if (!plan || plan.skill !== skill || this.requestedLevel >= WAYPOINT_LEVEL || this.taskReplanStep === step) return true;
    if (plan.index >= plan.list.length / 2) return true;
    const old = plan.start.subgoal.target!;
    return Math.hypot(old[0] - subgoal.target![0], old[1] - subgoal.target![1]) > this.config.reachedRadius;
  }

  private emit(event: EpisodeEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
