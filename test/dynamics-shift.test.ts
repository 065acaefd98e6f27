// Dynamics shifts as scenario options: each one really changes what the same actions do, the defaults change nothing,
// `describe` lists them and a value out of range ends with one clear line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Env, ScenarioDefinition } from '@itinera/core';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach } from '@itinera/sim-reach';
import { rooms } from '@itinera/sim-rooms';
import { commute } from '@itinera/sim-commute';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');

/** The observation after `steps` of the same constant action from seed 0's reset. */
async function after(scenario: ScenarioDefinition<any>, robot: string, options: Record<string, unknown>, action: number[], steps: number, channels: string[]): Promise<number[]> {
  const env: Env = await createEnv(scenario, loadBuiltinRobot(robot), { scenarioOptions: options });
  env.reset({ seed: 0 });
  let observation: ArrayLike<number> = [];
  for (let i = 0; i < steps; i++) observation = env.step(action).observation;
  const names = env.observationSpec.names;
  const values = channels.map((c) => observation[names.indexOf(c)]);
  env.free();
  return values;
}

test('reach-v1: a payload at the end effector and a weak motor each turn the arm less under the same torques', async () => {
  const torques = [1.5, -1.0];
  const turned = async (options: Record<string, unknown>) => (await after(reach, 'reacher', options, torques, 20, ['qpos.shoulder']))[0];
  const plain = await turned({});
  assert.equal(await turned({ payload: 0, motor: 1 }), plain, 'the defaults are today\'s dynamics, bit for bit');
  const loaded = await turned({ payload: 0.5 });
  const weak = await turned({ motor: 0.5 });
  assert.ok(plain > 0.2, `the plain arm turns (${plain} rad)`);
  assert.ok(loaded < 0.8 * plain, `payload 0.5 kg: ${loaded} rad vs ${plain}`);
  assert.ok(Math.abs(weak - 0.5 * plain) < 0.1 * plain, `half the torque turns it about half as far from rest: ${weak} rad vs ${plain}`);
});

for (const [scenario, options] of [[rooms, { closedDoors: false }], [commute, { person: false }]] as const) {
  test(`${scenario.name}: slippery wheels and a payload change the distance the rover rolls`, async () => {
    const rolled = async (shift: Record<string, unknown>) => {
      const [x0] = await after(scenario, 'rover', { ...options, ...shift }, [0, 0, 0], 1, ['base.x']);
      const [x] = await after(scenario, 'rover', { ...options, ...shift }, [4, 4, 0], 50, ['base.x']);
      return x - x0;
    };
    const plain = await rolled({});
    assert.equal(await rolled({ payload: 0 }), plain, 'the defaults are today\'s dynamics, bit for bit');
    const slippery = await rolled({ friction: 0.05 });
    const loaded = await rolled({ payload: 10 });
    assert.ok(plain > 0.3, `the rover rolls forward (${plain} m)`);
    assert.ok(slippery < 0.7 * plain, `friction 0.05: ${slippery} m vs ${plain} m`);
    // More weight presses the wheels down (more grip) and takes more force to speed up: either way, not the same roll.
    assert.ok(Math.abs(loaded - plain) > 0.05 * plain, `10 kg on the base: ${loaded} m vs ${plain} m`);
  });
}

test('describe lists the shift options and a shift out of range ends with one clear line', () => {
  const itinera = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  const reachInfo = itinera('describe', 'sim', 'reach-v1');
  assert.match(reachInfo.stdout, /payload .*Dynamics shift/);
  assert.match(reachInfo.stdout, /motor .*Dynamics shift/);
  assert.match(itinera('describe', 'sim', 'rooms-v1').stdout, /friction .*Dynamics shift/);
  for (const [sim, opt] of [['reach-v1', 'motor=0'], ['reach-v1', 'payload=-1'], ['rooms-v1', 'friction=0']]) {
    const r = itinera('run', '--sim', sim, '--planner', 'zero', '--sim-opt', opt);
    assert.equal(r.status, 1, `${sim} ${opt} exited ${r.status}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^itinera: --sim-opt \\(${sim}\\): .*${opt.split('=')[0]}`));
  }
});
