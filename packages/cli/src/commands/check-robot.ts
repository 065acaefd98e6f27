import { jointDof } from '@itinera/core';
import { resolveRobot } from '../robot-source.js';

/** Loads and validates a robot description; returns a summary (invalid files throw ItineraError). */
export function checkRobotCommand(file: string): string {
  const robot = resolveRobot(file);
  const byType = new Map<string, number>();
  for (const j of robot.joints) byType.set(j.type, (byType.get(j.type) ?? 0) + 1);
  const mass = robot.links.reduce((m, l) => m + l.mass, 0);
  const dof = jointDof(robot) + (robot.base.fixed ? 0 : 6);
  return [
    `robot '${robot.name}' is valid (${robot.source ?? file})`,
    `  links      ${robot.links.length}: ${robot.links.map((l) => l.name).join(', ')}`,
    `  joints     ${robot.joints.length}: ${[...byType].map(([t, n]) => `${n} ${t}`).join(', ')}`,
    `  actuators  ${robot.actuators.length}: ${robot.actuators.map((a) => `${a.name} (±${a.limit})`).join(', ')}`,
    `  base       ${robot.base.link}, ${robot.base.fixed ? 'fixed' : 'floating'}`,
    `  total mass ${mass.toFixed(3)} kg`,
    `  dof        ${dof}${robot.base.fixed ? '' : ' (6 from the floating base)'}`,
    ...(robot.endEffector ? [`  end effector ${robot.endEffector.link}`] : []),
  ].join('\n');
}
