// `itinera worker`: bullmq and ioredis load only when a worker starts.
import { commandModule } from './options.js';

export const workerModule = commandModule({
  command: 'worker',
  describe: 'run benchmark episodes enqueued with `itinera bench --queue` until stopped (SIGINT/SIGTERM finish the current episode)',
  builder: (y) =>
    y
      .option('queue', { type: 'string', demandOption: true, describe: 'redis://HOST:PORT[/DB] of the queue' })
      .option('lock-duration', { type: 'number', default: 30, describe: "seconds without a heartbeat before a worker's episode is handed to another worker" }),
  handler: async (a) => {
    const { workerCommand } = await import('../commands/worker.js');
    process.stdout.write(await workerCommand({ queue: a.queue, lockDuration: a.lockDuration }));
  },
});
