// scratch: how fast does MPPI drive the rover to targets in open space, per setting
import { defineScenario, parseWithSchema, Rng } from '@itinera/core';
import { DRIVE_COST_TERMS, driveResiduals, defineTaskTree, task, method, skill, HierarchicalPlanner, Channels, basePose } from '@itinera/hierarchy';
import { mppiPlanner } from '@itinera/mpc';
import { createEnv, SimulatorModel, withTaskSubgoal } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { runPlannerEpisode } from '@itinera/runtime';
import { z } from 'zod';
const schema = z.object({ tx: z.number().default(2), ty: z.number().default(0) });
const open = defineScenario({ name: 'open-v1', description: '', defaultRobot: 'rover', schema, defaults: schema.parse({}), create: (o, robot) => ({
  scene: { ground: true, bodies: [], regions: [] }, maxSteps: 400, costTerms: DRIVE_COST_TERMS, observationNames: [],
  init: () => ({}), observe: () => [], residuals: (v: any, s: any) => driveResiduals(v, s.subgoal ?? { target: [o.tx, o.ty] }, 2),
  status: (v: any) => { const p = v.basePosition(); return { success: Math.hypot(p[0] - o.tx, p[1] - o.ty) < 0.25 }; } }) });
const robot = await loadBuiltinRobot('rover');
const settings = JSON.parse(process.argv[2] ?? '[{}]');
for (const set of settings) {
  const every = set.every ?? 2; delete set.every;
  const res: string[] = [];
  for (const [tx, ty] of [[2.5, 0], [0, 2], [-1.5, 1]]) {
    const env = await createEnv(open, robot, { scenarioOptions: { tx, ty } });
    const model = await SimulatorModel.create(open, robot, { scenarioOptions: { tx, ty } }, 0.02);
    const cfg = parseWithSchema(mppiPlanner.schema, { ...mppiPlanner.defaults, samples: 16, horizon: 15, knots: 3, noise: 0.5, ...set }, 'x');
    const low = mppiPlanner.create(cfg, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model });
    const t0 = performance.now();
    const s = await (await import('@itinera/runtime')).runEpisode(env, low, { seed: 1, replanEvery: every });
    res.push(`(${tx},${ty}): ${s.success ? s.steps : 'FAIL'} ${((performance.now() - t0) / s.steps).toFixed(0)}ms/step`);
    env.free(); model.free();
  }
  console.log(JSON.stringify(set), 'every', every, res.join('  '));
}
