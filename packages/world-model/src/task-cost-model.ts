// A learned model charged with the scenario's own cost: the latents are rolled out and decoded on tfjs as in
// LatentDynamicsModel, then each imagined state is read through a ReadoutView by the task's residuals, with the task
// state (and the subgoal a level above wrote into it) taken from the plan's start snapshot. So a hierarchical planner's
// subgoal costs apply on the model unchanged. Sampling planners only (the cost runs in plain TypeScript).
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_GUARDRAILS, DEFAULT_SPEED_CAP, isObstacle, ItineraError, jointLimitIntrusion, keepOutDepth, totalCost, type CostTerm, type DynamicsModel, type OneStepSurprise, type Region, type Residuals, type RobotSpec, type RolloutResult, type Task } from '@itinera/core';
import { RayCollision } from './ray-collision.js';
import { anchorToObservation, defaultAnchoring, latentSurprise, startObservation, stepMajor } from './latent-model.js';
import { ReadoutView } from './readout-view.js';
import { WorldModel } from './world-model.js';

/** Guardrails computable from decoded channels and the action (collision by the ray ring, keep-out by the base position). */
const MODEL_GUARDRAILS = new Set(['effort', 'joint-limit', 'speed', 'collision', 'keep-out']);
/** The ensemble-spread guardrail's name (weight: the model config's planning.uncertainty). */
export const MODEL_UNCERTAINTY = 'model-uncertainty';

/** The task state inside an env snapshot, however many wrappers (observed, time limit) hold it. */
export function snapshotTaskState(snapshot: unknown): unknown {
  let s = snapshot as { inner?: unknown; taskState?: unknown } | undefined;
  while (s && typeof s === 'object') {
    if ('taskState' in s) return s.taskState;
    s = s.inner as typeof s;
  }
  throw new ItineraError('a task-cost model needs the env snapshot (with its task state) as the rollout start');
}

export class TaskCostLatentModel implements DynamicsModel<unknown> {
  readonly kind = 'learned' as const;
  readonly differentiable = false as const;
  readonly terms: CostTerm[];
  readonly surprise: OneStepSurprise;
  private readonly view: ReadoutView;
  private readonly obsSize: number;
  private readonly actSize: number;
  private readonly limits: Array<{ index: number; lower: number; upper: number }>;
  /** Regions the base must stay out of (the road beside the curb): charged on the decoded base position. */
  private readonly keepOut: Region[];
  /** The collision guardrail, charged where the robot's ray ring saw obstacles at the plan's start. */
  private readonly collision?: RayCollision;
  /** Whether the ensemble's spread is charged (planning.uncertainty > 0 and ≥ 2 predictors). */
  private readonly uncertain: boolean;
  simulatedSteps = 0;

  constructor(
    readonly model: WorldModel,
    private readonly task: Task,
    robot: RobotSpec,
    readonly anchorReadouts = defaultAnchoring(model),
  ) {
    const { spec, readouts } = model.file;
    this.obsSize = spec.observation.names.length;
    this.actSize = spec.action.names.length;
    this.surprise = latentSurprise(model);
    this.view = new ReadoutView(robot, spec.observation.names, readouts);
    // The rays cannot tell a wall from a box to push: with no obstacle in the scene, the simulator charges nothing either.
    this.collision = task.scene.bodies.some(isObstacle) ? RayCollision.of(robot, spec.observation.names) : undefined;
    const charged = (t: CostTerm) => MODEL_GUARDRAILS.has(t.name) && (t.name !== 'collision' || this.collision !== undefined);
    const weight = model.file.config.planning?.uncertainty ?? 0;
    this.uncertain = weight > 0 && model.predictors.length >= 2;
    const spread: CostTerm[] = this.uncertain ? [{ name: MODEL_UNCERTAINTY, norm: 'quadratic', weight, guardrail: true }] : [];
    this.terms = [...task.costTerms, ...(task.guardrailTerms ?? DEFAULT_GUARDRAILS).filter(charged), ...spread];
    const joints = spec.observation.names.filter((n) => n.startsWith('qpos.')).map((n) => robot.joints.find((j) => j.name === n.slice(5)));
    this.keepOut = task.scene.regions.filter((r) => r.keepOut);
    this.limits = joints.flatMap((j, index) => (j?.limit && j.type !== 'continuous' ? [{ index, ...j.limit }] : []));
  }

  static load(dir: string, task: Task, robot: RobotSpec): TaskCostLatentModel {
    return new TaskCostLatentModel(WorldModel.load(dir), task, robot);
  }

  /**
   * Decoded readouts of every imagined state, [horizon × batch][readouts] step-major, and (when charged) the
   * ensemble's spread at each: the RMS over latent dimensions of the members' standard deviation.
   */
  private decode(obs: Float32Array, actions: Float32Array, batch: number, horizon: number): { readouts: Float32Array; spread?: Float32Array } {
    return tf.tidy(() => {
      const m = this.model;
      const seen = m.inModelFrame(obs, 1, obs);
      const z0 = m.encode(m.normaliseObs(tf.tensor2d(seen, [1, this.obsSize])), true);
      let z = tf.tile(z0, [batch, 1]) as tf.Tensor2D;
      const steps = tf.split(m.normaliseAct(tf.tensor2d(actions, [horizon * batch, this.actSize])), horizon, 0) as tf.Tensor2D[];
      const spreads: tf.Tensor1D[] = [];
      const latents = steps.map((a) => {
        if (!this.uncertain) return (z = m.predict(z, a, true));
        const { mean, variance } = tf.moments(tf.stack(m.predictors.map((_, k) => m.predictWith(k, z, a, true))), 0);
        spreads.push(tf.sqrt(tf.mean(variance, 1)) as tf.Tensor1D);
        return (z = mean as tf.Tensor2D);
      });
      let readouts = m.readout(tf.concat(latents, 0), true);
      if (this.anchorReadouts) readouts = anchorToObservation(m, seen, readouts, m.readout(z0, true));
      const world = m.readoutsToWorld(Float32Array.from(readouts.dataSync()), horizon * batch, obs);
      return { readouts: world, spread: this.uncertain ? Float32Array.from(tf.concat(spreads).dataSync()) : undefined };
    });
  }

  rollout(start: unknown, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    const obs = startObservation(start, this.obsSize);
    const state = snapshotTaskState(start);
    const { readouts: decoded, spread } = this.decode(obs, stepMajor(actions, batch, horizon, this.actSize), batch, horizon);
    const a = this.actSize;
    const high = this.model.file.spec.action.high;
    const costs = new Float64Array(batch * horizon);
    const obstacles = this.collision?.obstacles(obs);
    for (let h = 0; h < horizon; h++) {
      for (let b = 0; b < batch; b++) {
        const view = this.view.load(obs, decoded, h * batch + b);
        const action = actions.subarray((b * horizon + h) * a, (b * horizon + h + 1) * a);
        const guardrails = this.guardrails(view, action, high);
        if (obstacles) guardrails.collision = [obstacles.depth(view)];
        if (spread) guardrails[MODEL_UNCERTAINTY] = [spread[h * batch + b]];
        costs[b * horizon + h] = totalCost(this.terms, { ...guardrails, ...this.task.residuals(view, state, action) });
      }
    }
    this.simulatedSteps += batch * horizon;
    return { costs };
  }

  private guardrails(view: ReadoutView, action: Float64Array, high: readonly number[]): Residuals {
    const q = view.jointPositions();
    const jointLimit = this.limits.map(({ index, lower, upper }) => jointLimitIntrusion(q[index], lower, upper));
    const [vx, vy, vz] = view.baseVelocity();
    const speed = Math.max(0, Math.hypot(vx, vy, vz) - (this.task.speedCap ?? DEFAULT_SPEED_CAP));
    return { effort: Array.from(action, (u, i) => u / high[i]), 'joint-limit': jointLimit, speed: [speed], 'keep-out': this.keepOut.map((r) => keepOutDepth(r, view.basePosition())) };
  }

  free(): void {
    this.model.dispose();
  }
}
