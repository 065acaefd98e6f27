// `itinera check-robot`: importers and physics load only when a robot is checked.
import { ItineraError } from '@itinera/core';
import { commandModule, robotLoadOptions, withRobotLoadOptions } from './options.js';

export const checkRobotModule = commandModule({
  command: 'check-robot <file>',
  describe: 'validate a robot description and print its summary',
  builder: (y) =>
    withRobotLoadOptions(y)
      .positional('file', { type: 'string', demandOption: true, describe: 'a URDF (.urdf), MJCF (.xml) or .yaml file, a robot module, or a built-in name' })
      .option('simulate', { type: 'boolean', default: false, describe: 'also simulate it: stays finite and bounded, every actuator moves its joint' }),
  handler: async (a) => {
    const { checkRobotCommand } = await import('../commands/check-robot.js');
    const { summary, problems } = await checkRobotCommand(a.file, { simulate: a.simulate, load: robotLoadOptions(a) });
    process.stdout.write(summary + '\n');
    if (problems.length > 0) throw new ItineraError(problems);
  },
});
