// `itinera eval-model`: TensorFlow.js loads only when it runs.
import { BACKEND_CHOICES, commandModule } from './options.js';

export const evalModelModule = commandModule({
  command: 'eval-model',
  describe: 'k-step prediction error (k = 1, 5, 20) of a trained world model against baselines, and latent collapse diagnostics',
  builder: (y) =>
    y
      .option('model', { type: 'string', demandOption: true, describe: 'model directory from itinera train' })
      .option('data', { type: 'string', demandOption: true, describe: 'dataset directory (held-out data from itinera collect)' })
      .option('backend', { type: 'string', default: 'auto', choices: [...BACKEND_CHOICES], describe: 'TensorFlow.js backend' })
      .option('out', { type: 'string', describe: 'JSON file to write (default: MODEL/eval.json)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the JSON instead of the table' }),
  handler: async (a) => {
    const { evalModelCommand } = await import('../commands/eval-model.js');
    const { formatEvaluation } = await import('@itinera/world-model');
    const evaluation = await evalModelCommand({ model: a.model, data: a.data, backend: a.backend as (typeof BACKEND_CHOICES)[number], out: a.out });
    process.stdout.write((a.json ? JSON.stringify(evaluation) : formatEvaluation(evaluation)) + '\n');
  },
});
