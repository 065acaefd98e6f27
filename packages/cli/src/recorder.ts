import { closeSync, openSync, writeSync } from 'node:fs';
import type { EpisodeEvent } from '@itinera/core';

/** Writes every event as one JSON line; lines are flushed per write so a killed run keeps what it wrote. */
export class JsonlRecorder {
  private readonly fd: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  write(event: EpisodeEvent): void {
    writeSync(this.fd, JSON.stringify(event) + '\n');
  }
  close(): void {
    closeSync(this.fd);
  }
}
