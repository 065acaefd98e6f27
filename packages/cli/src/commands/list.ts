import { builtinRobotNames, loadBuiltinRobot } from '@itinera/robots';
import { builtinPlanners, builtinScenarios } from '../registries.js';
import { presetNames, resolvePlanner } from '../planner-source.js';

export type ListKind = 'robots' | 'sims' | 'planners';

export function listCommand(kind: ListKind): string {
  switch (kind) {
    case 'sims':
      return builtinScenarios()
        .list()
        .map((s) => `${s.name.padEnd(16)} ${s.description} (default robot: ${s.defaultRobot})`)
        .join('\n');
    case 'planners':
      return [
        ...builtinPlanners()
          .list()
          .map((p) => `${p.name.padEnd(22)} ${p.description}`),
        ...presetNames().map((name) => `${name.padEnd(22)} preset of ${resolvePlanner(name, {}, name).definition.name} (configs/planners/${name}.yaml)`),
      ].join('\n');
    case 'robots':
      return builtinRobotNames()
        .map((name) => {
          const r = loadBuiltinRobot(name);
          return `${name.padEnd(10)} ${r.base.fixed ? 'fixed base' : 'floating base'}, ${r.links.length} links, ${r.actuators.length} actuators`;
        })
        .join('\n');
  }
}
