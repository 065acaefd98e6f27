import { closeSync, openSync, writeSync } from 'node:fs';
import { defer, finalize, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { makeParentDirectory, withFileErrors, type EpisodeEvent } from '@itinera/core';

/** Writes every event as one JSON line with a synchronous write, so a killed run keeps every line it wrote. */
export class JsonlRecorder {
  private fd: number | undefined;
  /** `append` keeps what the file holds; otherwise it is truncated. A missing directory is made; failures name the path. */
  constructor(
    readonly path: string,
    options: { append?: boolean } = {},
  ) {
    makeParentDirectory(path, `recording ${path}`);
    this.fd = withFileErrors(path, 'open the recording for writing', () => openSync(path, options.append ? 'a' : 'w'));
  }
  write(event: EpisodeEvent): void {
    if (this.fd === undefined) throw new Error(`recorder for ${this.path} is closed`);
    const fd = this.fd;
    withFileErrors(this.path, 'write the recording', () => writeSync(fd, JSON.stringify(event) + '\n'));
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Records the events passing through: into an open recorder (left open, for several episodes in one file), or
 * appended to the file at `path`, opened on subscription and closed when the stream ends.
 */
export function recordJsonl(target: string | JsonlRecorder): MonoTypeOperatorFunction<EpisodeEvent> {
  if (typeof target !== 'string') return tap((event) => target.write(event));
  return (event$) =>
    defer(() => {
      const recorder = new JsonlRecorder(target, { append: true });
      return event$.pipe(
        tap((event) => recorder.write(event)),
        finalize(() => recorder.close()),
      );
    });
}
