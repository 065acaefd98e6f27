import {
  clampToSpace,
  copyPlainData,
  neutralCommand,
  EnvWrapper,
  invalidActionReason,
  ItineraError,
  Rng,
  DEFAULT_GUARDRAILS,
  sumCost,
  SUBGOAL_KEY,
  totalCost,
  type CostTerm,
  type Residuals,
  type BoxSpace,
  type Env,
  type EnvSnapshot,
  type EnvView,
  type ResetResult,
  type RobotSpec,
  type ScenarioDefinition,
  type StepInfo,
  type StepResult,
  type Subgoal,
  type Task,
} from '@itinera/core';
import { physicsEnvView } from './env-view.js';
import { guardrailResiduals, guardrailSetup, type GuardrailSetup } from './guardrails.js';
import { PhysicsWorld, type PhysicsOptions, type PhysicsSnapshot } from './physics-world.js';
import { initPhysics } from './rapier.js';
import { moveActors } from './scripted-actors.js';
import { holdStance, settle, settlingRobot } from './settle.js';

export interface EnvOptions {
  /** Scenario options, already validated against the scenario's schema. */
  scenarioOptions?: Record<string, unknown>;
  physics?: Partial<PhysicsOptions>;
  /** Overrides the task's episode length in control steps; 0 disables the time limit. */
  maxSteps?: number;
}

interface PhysicsEnvSnapshot extends EnvSnapshot {
  readonly kind: 'physics-env';
  readonly physics: PhysicsSnapshot;
  readonly taskState: unknown;
  readonly step: number;
  readonly ended: boolean;
}

/** A scenario's task on a Rapier world, with Gymnasium's reset/step. */
export class PhysicsEnv implements Env {
  readonly id: string;
  readonly robotName: string;
  readonly observationSpec: BoxSpace;
  readonly actionSpec: BoxSpace;
  readonly world: PhysicsWorld;
  readonly task: Task;
  readonly view: EnvView;
  private readonly initial: PhysicsSnapshot;
  private rng = new Rng(0);
  private taskState: unknown;
  private stepCount = 0;
  private ended = true;
  private readonly applied: Float64Array;
  /** The task's terms followed by its guardrails: the one list costs are summed over. */
  private readonly costTerms: readonly CostTerm[];
  private readonly guardrails: GuardrailSetup;

  constructor(scenario: ScenarioDefinition, robot: RobotSpec, options: EnvOptions = {}) {
    this.id = scenario.name;
    this.robotName = robot.name;
    this.task = scenario.create({ ...scenario.defaults, ...options.scenarioOptions }, robot);
    const settling = this.task.settle;
    const built = settling ? settlingRobot(this.task.robot ?? robot, settling.pose) : (this.task.robot ?? robot);
    // The robot file's own surroundings (an MJCF worldbody's static bodies) join the scenario's scene.
    const scene = built.scene ? { ...this.task.scene, bodies: [...this.task.scene.bodies, ...built.scene] } : this.task.scene;
    this.world = PhysicsWorld.create(built, scene, { ...options.physics, ...(this.task.gravityCompensation && { gravityCompensation: true }) });
    // A planner's copy never resets to its own start (it restores the live env's snapshots): no need to settle it.
    if (settling && !this.world.options.planning) settle(this.world, settling.seconds);
    // Planning copies hold too: the hold's motors come with the live env's snapshots, its share of the torque does not.
    if (settling?.hold) holdStance(this.world, settling.hold);
    this.initial = this.world.snapshot();
    const { low, high } = this.world.commandBounds;
    this.actionSpec = {
      size: low.length,
      names: robot.actuators.map((a) => a.name),
      low: Float64Array.from(low),
      high: Float64Array.from(high),
      neutral: neutralCommand(built),
    };
    const names = [...this.world.sensorNames, ...this.task.observationNames];
    this.observationSpec = {
      size: names.length,
      names,
      low: new Float64Array(names.length).fill(-Infinity),
      high: new Float64Array(names.length).fill(Infinity),
    };
    this.applied = new Float64Array(low.length);
    const taskTerms = new Set(this.task.costTerms.map((t) => t.name));
    this.costTerms = [...this.task.costTerms, ...(this.task.guardrailTerms ?? DEFAULT_GUARDRAILS).filter((t) => !taskTerms.has(t.name))];
    this.guardrails = guardrailSetup(this.world, this.task.speedCap);
    this.view = physicsEnvView(this.world, this.task, () => this.taskState);
  }

  private residuals(): Residuals {
    // The task's residual wins over a guardrail's of the same name; assigning into the fresh guardrail object spares a copy per step.
    return Object.assign(guardrailResiduals(this.world, this.guardrails), this.task.residuals(this.world, this.taskState, this.applied));
  }

  get controlDt(): number {
    return this.world.controlDt;
  }

  reset(options: { seed?: number } = {}): ResetResult {
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    this.world.restore(this.initial);
    this.applied.set(this.actionSpec.neutral!);
    this.world.applyActuators(this.applied);
    this.taskState = this.task.init(this.rng.fork(`episode-${this.rng.nextUint32()}`), this.world);
    moveActors(this.world, this.task, this.taskState, 0);
    // A settled robot rests in contact, and the micro-step that refreshes queries would kick it off the ground; its
    // snapshot was taken after real steps, so its queries are current unless actors were placed.
    if (!this.task.settle || this.task.advance) this.world.refreshQueries();
    this.stepCount = 0;
    this.ended = false;
    const status = this.task.status(this.world, this.taskState);
    return { observation: this.observe(), info: this.info(status.success, undefined, {}, {}) };
  }

  step(action: ArrayLike<number>): StepResult {
    if (this.ended) throw new Error(`${this.id}: step() after the episode ended; call reset() first`);
    const invalid = invalidActionReason(action, this.actionSpec.size);
    if (invalid !== undefined) {
      this.ended = true;
      const info = this.info(false, 'invalid-action', {}, {});
      info.failureDetail = invalid;
      return { observation: this.observe(), cost: 0, terminated: true, truncated: false, info };
    }
    clampToSpace(action, this.actionSpec, this.applied);
    this.world.applyActuators(this.applied);
    moveActors(this.world, this.task, this.taskState, this.world.controlDt);
    // Unforeseen: stepCost (planners' copies) leaves it out.
    const push = this.task.disturbance?.(this.world, this.taskState, this.world.controlDt);
    if (push) this.world.pushBase(push);
    this.world.step();
    this.stepCount++;
    if (this.world.diverged()) {
      this.ended = true;
      const observation = new Float64Array(this.observationSpec.size).fill(NaN);
      return { observation, cost: 0, terminated: true, truncated: false, info: this.info(false, 'diverged', {}, {}) };
    }
    const costs = sumCost(this.costTerms, this.residuals());
    const status = this.task.status(this.world, this.taskState);
    const terminated = status.success || status.failure !== undefined;
    this.ended = terminated;
    return {
      observation: this.observe(),
      cost: costs.total,
      terminated,
      truncated: false,
      info: this.info(status.success, status.failure, costs.terms, costs.guardrails),
    };
  }

  /**
   * A step for planners' own copies: same dynamics and cost as `step`, without building the
   * observation (sensing is a third of a step's time). Returns the cost and whether the task ended.
   */
  stepCost(action: ArrayLike<number>): { cost: number; success: boolean; failed: boolean } {
    clampToSpace(action, this.actionSpec, this.applied);
    this.world.applyActuators(this.applied);
    moveActors(this.world, this.task, this.taskState, this.world.controlDt);
    this.world.step();
    this.stepCount++;
    if (this.world.diverged()) return { cost: 0, success: false, failed: true };
    const cost = totalCost(this.costTerms, this.residuals());
    const status = this.task.status(this.world, this.taskState);
    return { cost, success: status.success, failed: status.failure !== undefined };
  }

  snapshot(): PhysicsEnvSnapshot {
    return {
      kind: 'physics-env',
      physics: this.world.snapshot(),
      taskState: copyPlainData(this.taskState),
      step: this.stepCount,
      ended: this.ended,
    };
  }

  /** A copy of a snapshot of this env whose task state carries `subgoal` under SUBGOAL_KEY (undefined removes it). */
  withSubgoal(snapshot: EnvSnapshot, subgoal: Subgoal | undefined): EnvSnapshot {
    if (snapshot.kind !== 'physics-env') throw new ItineraError(`cannot give a subgoal to a '${snapshot.kind}' snapshot`);
    const s = snapshot as PhysicsEnvSnapshot;
    const state = typeof s.taskState === 'object' && s.taskState !== null ? s.taskState : {};
    return { ...s, taskState: { ...state, [SUBGOAL_KEY]: subgoal } } as EnvSnapshot;
  }

  restore(snapshot: EnvSnapshot): void {
    if (snapshot.kind !== 'physics-env') throw new Error(`cannot restore a '${snapshot.kind}' snapshot into a physics env`);
    const s = snapshot as PhysicsEnvSnapshot;
    this.world.restore(s.physics);
    this.taskState = copyPlainData(s.taskState);
    this.stepCount = s.step;
    this.ended = s.ended;
  }

  /** The task's state (targets…), for recorders and viewers. */
  get state(): unknown {
    return this.taskState;
  }

  free(): void {
    this.world.free();
  }

  private observe(): Float64Array {
    const out = new Float64Array(this.observationSpec.size);
    this.world.sense(out.subarray(0, this.world.sensorSize));
    out.set(this.task.observe(this.world, this.taskState), this.world.sensorSize);
    return out;
  }

  private info(success: boolean, failure: string | undefined, costTerms: Record<string, number>, guardrails: Record<string, number>): StepInfo {
    return {
      time: this.world.time,
      step: this.stepCount,
      success,
      ...(failure !== undefined ? { failure } : {}),
      costTerms,
      guardrails,
      appliedAction: Array.from(this.applied),
    };
  }
}

/** Ends an episode as truncated after `maxSteps` control steps (Gymnasium's TimeLimit). */
export class TimeLimit<E extends Env> extends EnvWrapper<E> {
  constructor(inner: E, readonly maxSteps: number) {
    super(inner);
  }

  step(action: ArrayLike<number>): StepResult {
    const result = this.inner.step(action);
    if (result.terminated || result.info.step < this.maxSteps) return result;
    return { ...result, truncated: true, info: { ...result.info, failure: result.info.failure ?? 'timeout' } };
  }
}

/** Builds a scenario's env for a robot, with its time limit. */
export async function createEnv(scenario: ScenarioDefinition, robot: RobotSpec, options: EnvOptions = {}): Promise<TimeLimit<PhysicsEnv>> {
  await initPhysics();
  const env = new PhysicsEnv(scenario, robot, options);
  return new TimeLimit(env, options.maxSteps || env.task.maxSteps);
}
