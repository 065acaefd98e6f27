// `itinera train`: TensorFlow.js loads only when training starts.
import { ItineraError } from '@itinera/core';
import { BACKEND_CHOICES, commandModule, integerOption } from './options.js';

type Backend = (typeof BACKEND_CHOICES)[number];

export const trainModule = commandModule({
  command: 'train',
  describe: 'train a world model (configs/train/NAME.yaml) on a collected dataset; checkpoints, metrics.json, --resume',
  builder: (y) =>
    y
      .option('data', { type: 'string', array: true, demandOption: true, describe: 'dataset directory from itinera collect (repeatable: datasets of one robot and scenario, e.g. its variants, trained on as one)' })
      .option('config', { type: 'string', demandOption: true, describe: 'training config, e.g. configs/train/reach-jepa.yaml' })
      .option('out', { type: 'string', demandOption: true, describe: 'model directory (model.json, weights.bin, metrics.json, checkpoint)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue the run in --out from its last checkpoint' })
      .option('init', { type: 'string', describe: 'start from this trained model (same kind, network and channels) instead of fresh weights; give it the data it trained on too' })
      .option('backend', { type: 'string', default: 'auto', choices: [...BACKEND_CHOICES], describe: 'TensorFlow.js backend' })
      .option('steps', integerOption('--steps', { min: 1, describe: "override the config's training.steps" }))
      .option('checkpoint-every', integerOption('--checkpoint-every', { min: 1, describe: "override the config's training.checkpointEvery" }))
      .option('readout-steps', integerOption('--readout-steps', { min: 1, describe: "override the config's training.readoutSteps" })),
  handler: async (a) => {
    const data = a.data.map(String);
    const { configModel, formatLevel1Metrics, trainLevel1Command } = await import('../commands/train-level1.js');
    const oneDataset = (kind: string): string => {
      if (data.length > 1) throw new ItineraError(`a ${kind} model trains on one dataset; got --data ${data.length} times`);
      return data[0];
    };
    if (configModel(a.config) === 'level1') {
      // A level-1 model trains in seconds: no checkpoints, so --resume has nothing to continue.
      const level1 = await trainLevel1Command({ data: oneDataset('level1'), config: a.config, out: a.out, backend: a.backend as Backend, steps: a.steps }, (step, total, loss) => {
        if (step === total || step % 500 === 0) process.stderr.write(`train level1: step ${step}/${total} · loss ${loss.toPrecision(3)}\n`);
      });
      process.stdout.write(formatLevel1Metrics(level1, a.out) + '\n');
      return;
    }
    if (configModel(a.config) === 'level1-latent') {
      const { formatLatentMetrics, trainLatentLevel1Command } = await import('../commands/train-level1-latent.js');
      const latent = await trainLatentLevel1Command({ data: oneDataset('level1-latent'), config: a.config, out: a.out, backend: a.backend as Backend, steps: a.steps }, (step, total, loss) => {
        if (step === total || step % 500 === 0) process.stderr.write(`train level1-latent: step ${step}/${total} · loss ${loss.toPrecision(3)}\n`);
      });
      process.stdout.write(formatLatentMetrics(latent, a.out) + '\n');
      return;
    }
    const { formatTrainSummary, trainCommand } = await import('../commands/train.js');
    const metrics = await trainCommand({ data, config: a.config, out: a.out, resume: a.resume, init: a.init, backend: a.backend as Backend, steps: a.steps, checkpointEvery: a.checkpointEvery, readoutSteps: a.readoutSteps });
    process.stdout.write(formatTrainSummary(metrics, a.out) + '\n');
  },
});
