// `itinera view`: the viewer (and its esbuild bundle) loads only when a replay is written.
import { commandModule } from './options.js';

export const viewModule = commandModule({
  command: 'view <episode>',
  describe: 'write a self-contained HTML replay (3D scene, timeline, cost plot) of a recorded episode file',
  builder: (y) =>
    y
      .positional('episode', { type: 'string', demandOption: true, describe: 'a recording from itinera run --record FILE.jsonl' })
      .option('out', { type: 'string', describe: "the HTML file to write (default: the recording's name with .html)" }),
  handler: async (a) => {
    const { formatViewSummary, viewCommand } = await import('../commands/view.js');
    process.stdout.write(formatViewSummary(await viewCommand({ episode: a.episode, out: a.out })) + '\n');
  },
});
