// `itinera list`: the registries load only when something is listed.
import { commandModule } from './options.js';

export const listModule = commandModule({
  command: 'list <kind>',
  describe: 'list built-in robots, sims or planners',
  builder: (y) => y.positional('kind', { choices: ['robots', 'sims', 'planners'] as const, demandOption: true }),
  handler: async (a) => {
    const { listCommand } = await import('../commands/list.js');
    process.stdout.write(listCommand(a.kind) + '\n');
  },
});
