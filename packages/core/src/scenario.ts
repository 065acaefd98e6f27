import type { CostTerm, Residuals } from './cost.js';
import type { ActorPose } from './scripted.js';
import type { Rng } from './rng.js';
import type { StandardSchemaV1 } from './schema.js';
import type { RobotSpec, SceneSpec, Vec3 } from './spec.js';

/** What a task may read of the simulated world; sims depend on core only, never on Rapier. */
export interface WorldView {
  readonly robot: RobotSpec;
  /** Simulated seconds since reset. */
  readonly time: number;
  /** A point given in a link's frame, in world coordinates. */
  pointPosition(link: string, local?: Vec3): Vec3;
  /** The end effector's world position; throws when the robot names none. */
  endEffectorPosition(): Vec3;
  jointPositions(): Float64Array;
  jointVelocities(): Float64Array;
  basePosition(): Vec3;
  /** Base link orientation as a quaternion [x, y, z, w]. */
  baseQuaternion(): [number, number, number, number];
  /** Base linear velocity (of its centre of mass), world frame. */
  baseVelocity(): Vec3;
  /** Whether a robot link touches anything outside the robot. */
  linkInContact(link: string): boolean;
  /** World position of a scene body by name. */
  bodyPosition(name: string): Vec3;
}

/** Whether the task is over and how. */
export interface TaskStatus {
  success: boolean;
  /** Set when the task has failed for good (fell over, timed out by its own clock…). */
  failure?: string;
}

/**
 * A scenario's task for one robot: scene, observation channels, residuals and predicates.
 * Its state is plain data so that env snapshots can copy it.
 */
export interface Task<State = unknown> {
  readonly scene: SceneSpec;
  /** Episode length in control steps (applied by the time-limit wrapper, not by the task). */
  readonly maxSteps: number;
  readonly costTerms: readonly CostTerm[];
  /** Guardrail terms; DEFAULT_GUARDRAILS when absent. */
  readonly guardrailTerms?: readonly CostTerm[];
  /** Base speed above which the speed guardrail charges (m/s); DEFAULT_SPEED_CAP when absent. */
  readonly speedCap?: number;
  /** The robot's links below its base feel no gravity, as under a gravity-compensating arm controller (MuJoCo's gravcomp). */
  readonly gravityCompensation?: boolean;
  /** The robot as the task's dynamics shift leaves it (a payload, a weak motor, slippery wheels); absent: unchanged. */
  readonly robot?: RobotSpec;
  /**
   * A legged robot standing at reset: before the first episode the env lifts the floating robot clear of the ground,
   * holds its joints at `pose` (joint name → rad; absent joints keep the robot's initial positions) with stiff joint
   * motors for `seconds`, lets go, and every reset restores that settled state with time at 0. With `hold` (rad or m)
   * the torque-driven joints keep a compliant hold toward that pose afterwards, spending an actuator's full torque at
   * `hold` off it; a hold pushing the planner's command's way gets only what the command leaves of the limit.
   */
  readonly settle?: { seconds: number; pose?: Record<string, number>; hold?: number };
  /**
   * An unforeseen push (N·s, world frame) on the robot's base at the start of the control step [time, time + dt), or
   * undefined. Only the live env applies it: planners' simulator copies do not foresee it. Depends on state and time only.
   */
  disturbance?(view: WorldView, state: State, dt: number): Vec3 | undefined;
  /** Names of the channels `observe` appends to the robot's sensors. */
  readonly observationNames: readonly string[];
  init(rng: Rng, view: WorldView): State;
  observe(view: WorldView, state: State): ArrayLike<number>;
  residuals(view: WorldView, state: State, action: ArrayLike<number>): Residuals;
  status(view: WorldView, state: State): TaskStatus;
  /**
   * Scripted actors: called before every control step (and once after init, with dt = 0, to place actors where the
   * seed put them). May mutate `state` (plain data); returns the kinematic bodies' poses for the end of the step.
   */
  advance?(view: WorldView, state: State, dt: number): readonly ActorPose[];
  /** Points a viewer can draw (targets). */
  markers?(state: State): Array<{ name: string; position: Vec3 }>;
}

export interface ScenarioDefinition<Options = Record<string, unknown>> {
  /** Versioned id: 'reach-v1'. */
  readonly name: string;
  readonly description: string;
  readonly defaultRobot: string;
  /** The planner or preset `itinera run` uses on it when no --planner is given. */
  readonly defaultPlanner?: string;
  readonly schema: StandardSchemaV1<unknown, Options>;
  readonly defaults: Options;
  /** Throws an ItineraError when the robot cannot serve the task (no end effector, say). */
  create(options: Options, robot: RobotSpec): Task;
}

export function defineScenario<Options>(definition: ScenarioDefinition<Options>): ScenarioDefinition<Options> {
  if (!/-v\d+$/.test(definition.name)) throw new Error(`scenario name '${definition.name}' must carry a version, like 'reach-v1'`);
  return definition;
}
