// `itinera describe planner|sim|robot NAME`: options read from the schemas that validate --opt and --sim-opt.
import { commandModule } from './options.js';

export const describeModule = commandModule({
  command: 'describe <kind> <name>',
  describe: "a planner's, preset's or sim's options (type, default, range, meaning), or a robot's joints, actuators, links and sensors",
  builder: (y) =>
    y
      .positional('kind', { choices: ['planner', 'sim', 'robot'] as const, demandOption: true })
      .positional('name', { type: 'string', demandOption: true, describe: 'a built-in name, a preset, or a robot file' }),
  handler: async (a) => {
    const { describeCommand } = await import('../commands/describe.js');
    process.stdout.write((await describeCommand(a.kind, a.name)) + '\n');
  },
});
