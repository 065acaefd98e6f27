import { ItineraError, jointDof, type RobotSpec } from '@itinera/core';
import { checkRobotReport } from '@itinera/physics';
import { resolveRobotAsync, type RobotLoadOptions } from '../robot-source.js';

export interface CheckRobotResult {
  /** For stdout: the robot's summary, and with --simulate what the simulation showed. */
  summary: string;
  /** For stderr and exit code 1: what the simulation found wrong, one line each. */
  problems: string[];
}

/**
 * Largest robot --simulate takes. Every actuator is pushed alone in a fresh world holding every link, so the time
 * grows with links × actuators: about 17 s for an 80-link chain on a 2-core machine, 10 minutes for 500.
 */
export const MAX_SIMULATED_LINKS = 100;

/** Loads and validates a robot description (invalid files throw ItineraError); `simulate` also runs checkRobot. */
export async function checkRobotCommand(file: string, options: { simulate?: boolean; load?: RobotLoadOptions } = {}): Promise<CheckRobotResult> {
  const robot = await resolveRobotAsync(file, undefined, undefined, options.load);
  const lines = [summarise(robot, file)];
  if (!options.simulate) return { summary: lines.join('\n'), problems: [] };
  if (robot.links.length > MAX_SIMULATED_LINKS)
    throw new ItineraError(`${robot.source ?? file}: --simulate takes robots of up to ${MAX_SIMULATED_LINKS} links (this one has ${robot.links.length}): it pushes each actuator alone in a world of every link, so ${robot.links.length} links would take about ${Math.ceil((robot.links.length / 80) ** 2 * 17 / 60)} minutes; check it without --simulate`);
  const runs = 2 + 2 * robot.actuators.length;
  // Small robots check in seconds; larger ones say what is going on before the wait.
  if (robot.links.length > 20) process.stderr.write(`check-robot: simulating '${robot.name}' (${robot.links.length} links, ${robot.actuators.length} actuators): ${runs} short runs…\n`);
  const report = await checkRobotReport(robot);
  const source = robot.source ?? file;
  if (report.problems.length > 0) {
    lines.push(`  simulation FAILED: ${report.problems.length} problem${report.problems.length > 1 ? 's' : ''}`);
    return { summary: lines.join('\n'), problems: report.problems.map((p) => `${source}: simulate: ${p}`) };
  }
  const weakest = Number.isFinite(report.weakestPush) ? `; every actuator moves its joint (weakest ${report.weakestPush.toPrecision(2)})` : '';
  const lifted = report.lift > 0 ? ` (started ${report.lift.toFixed(3)} m higher than its file places it, clear of the ground)` : '';
  lines.push(`  simulation passed: finite and within the energy bound under zero and random torques${weakest}${lifted}`);
  return { summary: lines.join('\n'), problems: [] };
}

function summarise(robot: RobotSpec, file: string): string {
  const byType = new Map<string, number>();
  for (const j of robot.joints) byType.set(j.type, (byType.get(j.type) ?? 0) + 1);
  const mass = robot.links.reduce((m, l) => m + l.mass, 0);
  const dof = jointDof(robot) + (robot.base.fixed ? 0 : 6);
  const hulls = robot.links.flatMap((l) => l.collisions.flatMap((g) => (g.shape.type === 'convex' ? [g.shape.points.length] : [])));
  const passive = robot.joints.filter((j) => j.type !== 'fixed' && !j.mimic && !robot.actuators.some((a) => a.joint === j.name));
  return [
    `robot '${robot.name}' is valid (${robot.source ?? file})`,
    `  links      ${robot.links.length}: ${robot.links.map((l) => l.name).join(', ')}`,
    `  joints     ${robot.joints.length}: ${[...byType].map(([t, n]) => `${n} ${t}`).join(', ')}`,
    `  actuators  ${robot.actuators.length}: ${robot.actuators.map((a) => `${a.name} (±${a.limit}${a.servo ? `, ${a.servo.kind} servo kp ${a.servo.kp} kv ${a.servo.kv}, targets [${a.servo.range.join(', ')}]` : ''})`).join(', ')}`,
    ...(robot.frames?.length ? [`  frames     ${robot.frames.length}: ${robot.frames.map((f) => `${f.name} (on ${f.link})`).join(', ')}`] : []),
    ...(hulls.length ? [`  hulls      ${hulls.length} convex collision meshes, ${Math.min(...hulls)}–${Math.max(...hulls)} vertices each`] : []),
    ...(passive.length ? [`  passive    ${passive.length}: ${passive.map((j) => j.name).join(', ')} (no actuator)`] : []),
    `  base       ${robot.base.link}, ${robot.base.fixed ? 'fixed' : 'floating'}`,
    `  total mass ${mass.toFixed(3)} kg`,
    `  dof        ${dof}${robot.base.fixed ? '' : ' (6 from the floating base)'}`,
    ...(robot.endEffector ? [`  end effector ${robot.endEffector.link}`] : []),
    ...(robot.scene?.length ? [`  scene      ${robot.scene.length} static bod${robot.scene.length > 1 ? 'ies' : 'y'} beside the robot: ${robot.scene.map((b) => b.name).join(', ')}`] : []),
    ...(robot.physics ? [`  physics    ${physicsLine(robot.physics)}`] : []),
  ].join('\n');
}

/** What a robot's own physics settings (MJCF <option>) change: gravity, the live physics step. */
function physicsLine(physics: NonNullable<RobotSpec['physics']>): string {
  return [
    physics.gravity && `gravity ${physics.gravity.join(' ')} m/s²`,
    physics.timestep !== undefined && `timestep ${physics.timestep} s`,
  ]
    .filter(Boolean)
    .join(', ');
}
