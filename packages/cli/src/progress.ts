import cliProgress from 'cli-progress';
import type { EpisodeSummary } from '@itinera/core';

/** Episode progress on stderr: a bar on a terminal, one line per episode otherwise. */
export class Progress {
  private readonly bar?: cliProgress.SingleBar;
  private done = 0;
  private successes = 0;
  constructor(private readonly total: number, private readonly label: string) {
    if (process.stderr.isTTY) {
      this.bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: `${label} [{bar}] {value}/{total} episodes · success {rate}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { rate: '-' });
    }
  }

  episodeDone(e: EpisodeSummary): void {
    this.done++;
    if (e.success) this.successes++;
    const rate = (this.successes / this.done).toFixed(2);
    if (this.bar) this.bar.update(this.done, { rate });
    else process.stderr.write(`${this.label}: episode ${this.done}/${this.total} seed ${e.seed} ${e.success ? 'success' : `failed (${e.failure})`} in ${e.steps} steps · success ${rate}\n`);
  }

  stop(): void {
    this.bar?.stop();
  }
}
