// npm run bench:physics — physics and control steps per second for each built-in robot,
// in an empty scene and in the reach scene. Medians of 3 timed runs after a warm-up.
import { Rng, isItineraError } from '@itinera/core';
import { createEnv, initPhysics, PhysicsWorld } from '@itinera/physics';
import { builtinRobotNames, loadBuiltinRobot } from '@itinera/robots';
import { reach } from '@itinera/sim-reach';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Calls `fn` repeatedly for about SECONDS; returns calls per second (median of 3). */
function rate(fn: () => void): number {
  for (let i = 0; i < 50; i++) fn();
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < SECONDS * 1000) {
      for (let i = 0; i < 20; i++) fn();
      n += 20;
    }
    rates.push(n / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

await initPhysics();
const rows: string[][] = [];
for (const name of builtinRobotNames()) {
  const robot = loadBuiltinRobot(name);
  const rng = new Rng(1);
  const limits = robot.actuators.map((a) => a.limit);
  const randomAction = () => limits.map((l) => rng.uniform(-l, l) * 0.3);

  const world = PhysicsWorld.create(robot, { ground: true, bodies: [], regions: [] }, { substeps: 1 });
  const physicsRate = rate(() => {
    world.applyActuators(randomAction());
    world.step();
  });
  world.free();

  let reachPhysics = 'n/a';
  let reachControl = 'n/a';
  try {
    const env = await createEnv(reach, robot, { maxSteps: 0 });
    env.reset({ seed: 1 });
    const substeps = env.inner.world.options.substeps;
    const controlRate = rate(() => {
      const r = env.step(randomAction());
      if (r.terminated || r.truncated) env.reset();
    });
    reachControl = controlRate.toFixed(0);
    reachPhysics = (controlRate * substeps).toFixed(0);
    env.free();
  } catch (error) {
    if (!isItineraError(error)) throw error;
  }
  rows.push([name, String(robot.links.length), String(robot.actuators.length), physicsRate.toFixed(0), (physicsRate / 4).toFixed(0), reachPhysics, reachControl]);
}

const header = ['robot', 'links', 'actuators', 'empty: physics steps/s', 'empty: control steps/s (4 substeps, no sensing)', 'reach: physics steps/s', 'reach: control steps/s (env.step)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
console.log(`\nphysics dt 1/200 s; control step = 4 physics steps; reach-v1 has no end effector for robots without one (n/a). Node ${process.version}.`);
