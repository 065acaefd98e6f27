// The simulator's answer to a level-1 candidate: waypoints followed one after another by the run's own low-level
// planner on a copy of the live world (restored from its snapshot), each until reached or for one level-1 step.
import { Channels, innermostSnapshot, Rng, subgoalWriter, type Env, type EnvSnapshot, type MobileBody, type Planner, type PlannerDefinition, type Policy, type Subgoal, type SubgoalWriter } from '@itinera/core';
import { createEnv, SimulatorModel, type PlanningPhysics } from '@itinera/physics';
import type { EpisodeChoice } from '../episode-setup.js';

export interface TrackedWaypoints {
  /** Metres from the base to the subgoal's target after each waypoint. */
  left: number[];
  /** The observation after each waypoint. */
  observations: Float64Array[];
  /** Seconds from the start to the end of each waypoint. */
  seconds: number[];
}

export interface TrackerOptions {
  low: { definition: PlannerDefinition<any>; config: unknown };
  physics?: PlanningPhysics;
  replanEvery: number;
  body: MobileBody;
  /** Distance (m) at which a waypoint counts as reached (the multi-level planner's). */
  reachedRadius: number;
  seed: number;
}

export class WaypointTracker {
  private constructor(
    private readonly env: Env,
    private readonly model: SimulatorModel,
    private readonly planner: Planner,
    private readonly writer: SubgoalWriter,
    private readonly channels: Channels,
    private readonly options: TrackerOptions,
  ) {}

  static async create(choice: Pick<EpisodeChoice, 'scenario' | 'scenarioOptions' | 'robot'>, options: TrackerOptions): Promise<WaypointTracker> {
    const { scenario, robot, scenarioOptions } = choice;
    const env = await createEnv(scenario, robot, { scenarioOptions });
    const model = await SimulatorModel.create(scenario, robot, { scenarioOptions }, options.physics);
    const writer = subgoalWriter(env);
    const context = { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(options.seed), model, subgoals: writer };
    const planner = options.low.definition.create(options.low.config, context);
    return new WaypointTracker(env, model, planner, writer, new Channels(env.observationSpec.names), options);
  }

  /** Follows `waypoints` ([count][x, y]) from `snapshot` (whose observation is `observation`) toward `subgoal`. */
  async follow(snapshot: EnvSnapshot, observation: Float64Array, time: number, subgoal: Subgoal, waypoints: Float64Array, stepSeconds: number): Promise<TrackedWaypoints> {
    const { env, planner, options } = this;
    env.restore(innermostSnapshot(snapshot));
    planner.reset(options.seed);
    const out: TrackedWaypoints = { left: [], observations: [], seconds: [] };
    const stepsPer = Math.max(1, Math.round(stepSeconds / env.controlDt));
    const goal = subgoal.target;
    let obs: Float64Array = Float64Array.from(observation);
    let t = time;
    let ended = false;
    let policy: Policy | undefined;
    for (let i = 0; i + 1 < waypoints.length; i += 2) {
      const target: [number, number] = [waypoints[i], waypoints[i + 1]];
      const via = goal ? Math.hypot(target[0] - goal[0], target[1] - goal[1]) > options.reachedRadius : false;
      for (let k = 0; k < stepsPer && !ended; k++) {
        const step = Math.round(t / env.controlDt);
        if (k % options.replanEvery === 0) {
          const planSnapshot = this.writer.withSubgoal(env.snapshot(), { ...subgoal, target, via });
          policy = await planner.plan({ observation: obs, time: t, step, snapshot: planSnapshot });
        }
        const result = env.step(policy!.action(t, obs));
        obs = result.observation;
        t += env.controlDt;
        ended = result.terminated || result.truncated;
        const pose = this.pose(obs, t);
        if (Math.hypot(target[0] - pose.x, target[1] - pose.y) < options.reachedRadius) break;
      }
      const pose = this.pose(obs, t);
      out.left.push(goal ? Math.hypot(goal[0] - pose.x, goal[1] - pose.y) : 0);
      out.observations.push(Float64Array.from(obs));
      out.seconds.push(t - time);
    }
    return out;
  }

  free(): void {
    this.planner.dispose();
    this.model.free();
    this.env.free();
  }

  private pose(observation: Float64Array, time: number) {
    return this.options.body.pose(this.channels.situation(observation, time, Math.round(time / this.env.controlDt)));
  }
}
