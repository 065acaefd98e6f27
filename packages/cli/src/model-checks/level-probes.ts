// What each level's candidates are compared with. Level 0 (a learned world model): the simulator, restored from the
// same snapshot, charging the scenario's own cost. Level 1 (a learned waypoint model, one that declares a stand-in):
// by default the simulator — each candidate's waypoints followed by the run's low-level planner on a world copy,
// charged the metres left to the subgoal's target after each waypoint — or, cheaper, the stand-in model itself.
import { Channels, ItineraError, type LevelModelDefinition, type LevelModelOptions, type MobileBody, type WaypointModel, type WaypointStart } from '@itinera/core';
import { representationGap } from '@itinera/hierarchy';
import { SimulatorModel } from '@itinera/physics';
import type { EpisodeChoice } from '../episode-setup.js';
import type { LevelProbe, ReferenceCosts } from './ranking.js';
import type { RolloutCall } from './taps.js';
import { WaypointTracker, type TrackerOptions } from './waypoint-tracker.js';

export type Level1Reference = 'simulator' | 'stand-in';

type World = Pick<EpisodeChoice, 'scenario' | 'scenarioOptions' | 'robot'>;

/** The candidates `picked` of a rollout call, as a smaller batch. */
export function pickedActions(call: RolloutCall, picked: number[]): Float64Array {
  const block = call.actions.length / call.batch;
  const out = new Float64Array(picked.length * block);
  picked.forEach((b, i) => out.set(call.actions.subarray(b * block, (b + 1) * block), i * block));
  return out;
}

function totals(costs: Float64Array, batch: number, horizon: number): number[] {
  return Array.from({ length: batch }, (_, b) => costs.subarray(b * horizon, (b + 1) * horizon).reduce((s, c) => s + c, 0));
}

export async function simulatorProbe(world: World, model: string): Promise<LevelProbe> {
  // The live world's physics, not the planner's coarser copy: the reference is the world itself.
  const simulator = await SimulatorModel.create(world.scenario, world.robot, { scenarioOptions: world.scenarioOptions });
  return {
    level: 0,
    model,
    reference: "simulator (the scenario's cost, live physics)",
    async costOnReference(call, _request, picked) {
      const { costs } = await simulator.rollout(call.start as never, pickedActions(call, picked), picked.length, call.horizon);
      return { totals: totals(costs, picked.length, call.horizon) };
    },
    free: () => simulator.free(),
  };
}

export interface Level1ProbeParts {
  model: WaypointModel;
  definition: LevelModelDefinition<any>;
  /** The definition's stand-in, created with the same options: the reference or the k-step baseline. */
  standIn?: WaypointModel;
  reference: Level1Reference;
  world: World;
  tracker: Omit<TrackerOptions, 'body'>;
  bodies: readonly MobileBody[];
  channels: Channels;
  options: LevelModelOptions<any>;
}

export function level1Probe(p: Level1ProbeParts): LevelProbe {
  const label = p.definition.describe(p.options);
  if (p.reference === 'stand-in') {
    const standIn = p.standIn!;
    return {
      level: 1,
      model: label,
      reference: `stand-in model '${p.definition.standIn}' (not the simulator)`,
      async costOnReference(call, _request, picked) {
        const { costs } = await standIn.rollout(call.start as WaypointStart, pickedActions(call, picked), picked.length, call.horizon);
        return { totals: totals(costs, picked.length, call.horizon) };
      },
      free: () => standIn.free(),
    };
  }
  const body = p.bodies.find((b) => p.channels.hasAll(b.channels));
  if (!body) throw new ItineraError(`level-1 probe: no mobile body reads this env's pose, so waypoints cannot be followed on the simulator: use --level1-reference stand-in`);
  let tracker: Promise<WaypointTracker> | undefined;
  return {
    level: 1,
    model: label,
    reference: "simulator: each candidate's waypoints followed by the run's low-level planner on a world copy, charged the metres left to the target after each",
    ...(p.standIn && { baseline: `stand-in '${p.definition.standIn}'` }),
    async costOnReference(call, request, picked) {
      if (!request.snapshot) throw new ItineraError('level-1 probe: the plan request carries no snapshot to follow waypoints from');
      tracker ??= WaypointTracker.create(p.world, { ...p.tracker, body });
      const follower = await tracker;
      const start = call.start as WaypointStart;
      const out: ReferenceCosts = { totals: [], gaps: [] };
      for (const b of picked) {
        const waypoints = call.actions.subarray(b * call.horizon * 2, (b + 1) * call.horizon * 2);
        const tracked = await follower.follow(request.snapshot, start.observation, request.time, start.subgoal, waypoints, p.model.stepSeconds);
        out.totals.push(tracked.left.reduce((s, v) => s + v, 0));
        out.gaps!.push(tracked.seconds.map((seconds, i) => ({ model: gap(p.model, start, waypoints, i + 1, seconds, tracked.observations[i]), ...(p.standIn && { baseline: gap(p.standIn, start, waypoints, i + 1, seconds, tracked.observations[i]) }) })));
      }
      if (p.standIn) {
        const { costs } = await p.standIn.rollout(start, pickedActions(call, picked), picked.length, call.horizon);
        out.baselineTotals = totals(costs, picked.length, call.horizon);
      }
      return out;
    },
    free() {
      p.standIn?.free();
      void tracker?.then((t) => t.free());
    },
  };
}

/** Distance, in the model's level-1 representation, between its prediction after k waypoints and what the simulator reached. */
function gap(model: WaypointModel, start: WaypointStart, waypoints: Float64Array, k: number, seconds: number, reached: Float64Array): number {
  return representationGap(model.predict(start, waypoints.subarray(0, 2 * k), seconds), model.represent(reached));
}
