// The simulator as a DynamicsModel: the planner's own env copy, restored from the live env's
// snapshot for every sample. Never the live env.
import { innermostSnapshot, ItineraError, type DynamicsModel, type EnvSnapshot, type RobotSpec, type RolloutResult, type ScenarioDefinition, type Vec3 } from '@itinera/core';
import { PhysicsEnv, type EnvOptions } from './physics-env.js';
import { DEFAULT_PHYSICS } from './physics-world.js';
import { initPhysics } from './rapier.js';

/** How a planner's simulator copy may differ from the live world: coarser and cheaper. */
export interface PlanningPhysics {
  /** Physics step (s), at most MAX_PLANNING_PHYSICS_DT and dividing the control step. */
  physicsDt?: number;
  /** Rapier solver iterations per physics step (Rapier's default: 4). */
  solverIterations?: number;
}

/** Cost charged for every remaining step after a rollout diverges or fails its task. */
export const FAILURE_STEP_COST = 100;

export class SimulatorModel implements DynamicsModel<EnvSnapshot> {
  readonly kind = 'simulator' as const;
  readonly backend = 'rapier';
  readonly differentiable = false;
  /** Control steps simulated since creation (for throughput reports). */
  simulatedSteps = 0;
  private readonly env: PhysicsEnv;

  private constructor(scenario: ScenarioDefinition, robot: RobotSpec, options: EnvOptions, planning: PlanningPhysics) {
    const live = { ...DEFAULT_PHYSICS, ...options.physics };
    let physics = { ...live, ...(planning.solverIterations !== undefined && { solverIterations: planning.solverIterations }) };
    if (planning.physicsDt !== undefined) {
      // Same control step as the live env, fewer and longer physics steps inside it.
      const controlDt = live.physicsDt * live.substeps;
      const substeps = Math.max(1, Math.round(controlDt / planning.physicsDt));
      physics = { ...physics, physicsDt: controlDt / substeps, substeps, planning: true };
    }
    this.env = new PhysicsEnv(scenario, robot, { ...options, physics });
  }

  /**
   * `planning` (optional) lets the planner's copy trade accuracy for speed: a coarser physics step at the same
   * control step (it must divide the control step) and fewer solver iterations. Snapshots restore into it because
   * Rapier's snapshot carries the world; the copy's own settings are set again after each restore.
   */
  static async create(scenario: ScenarioDefinition, robot: RobotSpec, options: EnvOptions = {}, planning: PlanningPhysics = {}): Promise<SimulatorModel> {
    await initPhysics();
    return new SimulatorModel(scenario, robot, options, planning);
  }

  get actionSize(): number {
    return this.env.actionSpec.size;
  }

  rollout(start: EnvSnapshot, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    // A wrapped env's snapshot carries this env's inside its own.
    start = innermostSnapshot(start);
    const a = this.actionSize;
    if (actions.length !== batch * horizon * a) {
      throw new ItineraError(`rollout: expected ${batch * horizon * a} action values, got ${actions.length}`);
    }
    const costs = new Float64Array(batch * horizon);
    const terminated = new Uint8Array(batch);
    for (let b = 0; b < batch; b++) this.rolloutSample(start, actions, b, horizon, costs, terminated);
    return { costs, terminated };
  }

  /**
   * Rolls sample `b` of `actions` from `start` (an innermost snapshot), writing its row of `costs` and its `terminated`
   * flag; the result depends on nothing but its inputs, so any copy of the scenario (any thread) gives the same bits.
   */
  rolloutSample(start: EnvSnapshot, actions: Float64Array, b: number, horizon: number, costs: Float64Array, terminated: Uint8Array): void {
    const a = this.actionSize;
    terminated[b] = 0;
    this.env.restore(start);
    for (let h = 0; h < horizon; h++) {
      const offset = (b * horizon + h) * a;
      const r = this.env.stepCost(actions.subarray(offset, offset + a));
      this.simulatedSteps++;
      costs[b * horizon + h] = r.cost;
      if (r.success || r.failed) {
        // Success ends the task (no more cost); failure keeps costing for the rest of the horizon.
        costs.fill(r.failed ? FAILURE_STEP_COST : 0, b * horizon + h + (r.failed ? 0 : 1), (b + 1) * horizon);
        terminated[b] = 1;
        return;
      }
    }
  }

  /** The end effector's (else the base's) world position after each step of one action sequence; stops early if the task ends. */
  trace(start: EnvSnapshot, actions: Float64Array, horizon: number): Vec3[] {
    const a = this.actionSize;
    const world = this.env.world;
    const point = (): Vec3 => (world.robot.endEffector ? world.endEffectorPosition() : world.basePosition()).map((v) => Number(v.toFixed(5))) as Vec3;
    const path: Vec3[] = [];
    this.env.restore(start);
    for (let h = 0; h < horizon; h++) {
      const r = this.env.stepCost(actions.subarray(h * a, (h + 1) * a));
      if (world.diverged()) break;
      path.push(point());
      if (r.success || r.failed) break;
    }
    return path;
  }

  free(): void {
    this.env.free();
  }
}
