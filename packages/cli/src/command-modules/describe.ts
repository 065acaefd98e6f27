// `itinera describe planner|sim|robot NAME`: options read from the schemas that validate --opt and --sim-opt.
import { commandModule } from './options.js';

export const describeModule = commandModule({
  command: 'describe <kind> [name]',
  describe: "a planner's, preset's or sim's options (type, default, range, meaning), a robot's joints, actuators, links and sensors, or --adapt's options (describe adapt)",
  builder: (y) =>
    y
      .positional('kind', { choices: ['planner', 'sim', 'robot', 'adapt'] as const, demandOption: true })
      .positional('name', { type: 'string', describe: 'a built-in name, a preset, or a robot file (not for adapt)' }),
  handler: async (a) => {
    const { describeCommand } = await import('../commands/describe.js');
    process.stdout.write((await describeCommand(a.kind, a.name)) + '\n');
  },
});
