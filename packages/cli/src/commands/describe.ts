// `itinera describe planner|sim|robot NAME`: what a plug-in takes, read from the schema that validates it.
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ItineraError, jointDof, type RobotSpec, type StandardSchemaV1 } from '@itinera/core';
import { optionInfos } from '../option-schema.js';
import { loadPreset, PLANNER_PRESETS_DIR, resolvePlanner } from '../planner-source.js';
import { builtinPlanners, scenarioNamed } from '../registries.js';
import { resolveRobotAsync } from '../robot-source.js';

export type DescribeKind = 'planner' | 'sim' | 'robot' | 'adapt';

export async function describeCommand(kind: DescribeKind, name: string | undefined): Promise<string> {
  if (kind === 'adapt') {
    const { adaptOptionsSchema } = await import('@itinera/world-model');
    const head = 'adapt: online correction of a learned --model from surprising transitions (itinera run --adapt)';
    return [head, '', 'options (--adapt-opt key=value):', optionTable(adaptOptionsSchema, adaptOptionsSchema.parse({}))].join('\n');
  }
  if (name === undefined) throw new ItineraError(`describe ${kind} needs a NAME`);
  if (kind === 'sim') {
    const scenario = scenarioNamed(name);
    const head = [`sim ${scenario.name}: ${scenario.description}`, `default robot: ${scenario.defaultRobot}`, `default planner: ${scenario.defaultPlanner ?? 'none (pass --planner)'}`];
    return [...head, '', 'options (--sim-opt key=value):', optionTable(scenario.schema, scenario.defaults)].join('\n');
  }
  if (kind === 'planner') return describePlanner(name);
  return describeRobot(await resolveRobotAsync(name));
}

function describePlanner(name: string): string {
  // resolvePlanner says what an unknown name or a broken preset is, as `run --planner` would.
  const choice = resolvePlanner(name, {}, name);
  const { definition } = choice;
  const head = [`planner ${definition.name}: ${definition.description}`, `needs a model: ${definition.needsModel ? 'yes' : 'no'}`];
  const presetFile = isPreset(name) ? presetPath(name) : existsSync(name) ? name : undefined;
  if (presetFile === undefined) return [...head, '', 'options (--opt key=value):', optionTable(definition.schema, definition.defaults)].join('\n');
  const preset = loadPreset(presetFile);
  const set = Object.entries(preset.options).map(([k, v]) => `  ${k} = ${show(v)}`);
  const runSettings = [
    ...Object.entries(preset.model ?? {}).map(([k, v]) => `  model.${k} = ${show(v)}`),
    ...(preset.replanEvery !== undefined ? [`  replanEvery = ${preset.replanEvery}`] : []),
  ];
  return [
    `preset ${isPreset(name) ? name : basename(presetFile, extname(presetFile))} (${presetFile}): ${preset.description ?? ''}`.trimEnd(),
    `planner: ${definition.name}`,
    'sets:',
    ...(set.length + runSettings.length > 0 ? [...set, ...runSettings] : ['  nothing (the planner\'s defaults)']),
    '',
    ...head,
    '',
    `options (--opt key=value; defaults with this preset's values):`,
    optionTable(definition.schema, choice.config),
  ].join('\n');
}

const presetPath = (name: string) => join(PLANNER_PRESETS_DIR, `${name}.yaml`);
const isPreset = (name: string) => !/[\\/]/.test(name) && !builtinPlanners().has(name) && existsSync(presetPath(name));

/** One row per option: key, type, default, range, description. */
function optionTable(schema: StandardSchemaV1<unknown, unknown>, defaults: unknown): string {
  const infos = optionInfos(schema, (defaults ?? {}) as Record<string, unknown>);
  if (infos === undefined) return '  (this schema does not describe its options)';
  if (infos.length === 0) return '  none';
  const rows = infos.map((o) => [o.key, o.type, o.optional && o.default === undefined ? '(unset)' : show(o.default), o.range || '-', o.description]);
  return table([['key', 'type', 'default', 'range', 'description'], ...rows]);
}

function describeRobot(robot: RobotSpec): string {
  const joints = robot.joints.map((j) => [j.name, j.type, `${j.parent} → ${j.child}`, `[${j.axis.join(', ')}]`, j.limit ? `[${fmt(j.limit.lower)}, ${fmt(j.limit.upper)}]` : '-', fmt(j.damping)]);
  const actuators = robot.actuators.map((a) => [a.name, a.joint, `±${fmt(a.limit)} ${unitOf(robot, a.joint)}${a.servo ? ` (${a.servo.kind} servo: kp ${fmt(a.servo.kp)}, kv ${fmt(a.servo.kv)}, targets [${a.servo.range.map(fmt).join(', ')}])` : ''}`]);
  const links = robot.links.map((l) => [l.name, `${fmt(l.mass)} kg`, String(l.collisions.length)]);
  const { rays, contacts } = robot.sensors;
  const dof = jointDof(robot);
  return [
    `robot ${robot.name}${robot.source ? ` (${robot.source})` : ''}: ${robot.base.fixed ? 'fixed' : 'floating'} base on ${robot.base.link}, ${dof} joint dof`,
    `end effector: ${robot.endEffector ? `${robot.endEffector.link} at [${robot.endEffector.point.map(fmt).join(', ')}]` : 'none'}`,
    '',
    'joints:',
    joints.length > 0 ? table([['name', 'type', 'parent → child', 'axis', 'limits', 'damping'], ...joints]) : '  none',
    '',
    'actuators:',
    actuators.length > 0 ? table([['name', 'joint', 'limit'], ...actuators]) : '  none',
    '',
    'links:',
    table([['name', 'mass', 'collision shapes'], ...links]),
    '',
    'sensors:',
    `  rays: ${rays ? `${rays.count} on ${rays.link}, range ${fmt(rays.range)} m` : 'none'}`,
    `  contacts: ${contacts && contacts.length > 0 ? contacts.join(', ') : 'none'}`,
  ].join('\n');
}

/** N·m on a revolute joint, N on a prismatic one. */
function unitOf(robot: RobotSpec, joint: string): string {
  return robot.joints.find((j) => j.name === joint)?.type === 'prismatic' ? 'N' : 'N·m';
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => '  ' + r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

/** A value as typed on the command line; long ones (nested objects) are cut so the table stays readable. */
function show(v: unknown): string {
  const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? '-');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function fmt(n: number): string {
  return String(Number(n.toPrecision(6)));
}
