// A block of lines redrawn in place on a terminal. Each frame is fitted to the screen first: a frame taller than
// the screen, or a line that wraps, cannot be erased and leaves copies in the scrollback.
import cliTruncate from 'cli-truncate';
import { createLogUpdate } from 'log-update';

export interface LiveRegion {
  /** Replaces the frame on screen. */
  update(lines: readonly string[]): void;
  /** Leaves the frame on screen as it is; the next update draws a new one below it. */
  keep(): void;
}

export interface ScreenSize {
  columns: number;
  rows: number;
}

export function screenSize(stream: NodeJS.WriteStream): ScreenSize {
  return { columns: stream.columns || 80, rows: stream.rows || 24 };
}

/** At most rows − 1 lines (the cursor waits on the line below), each cut to fit the columns without wrapping. */
export function fitFrame(lines: readonly string[], { columns, rows }: ScreenSize): string[] {
  return lines.slice(0, Math.max(0, rows - 1)).map((line) => cliTruncate(line, Math.max(1, columns - 1)));
}

/** log-update erases the previous frame line by line: no full-screen clear, which tmux pushes into the scrollback. */
export function liveRegion(stream: NodeJS.WriteStream): LiveRegion {
  const render = createLogUpdate(stream);
  return {
    update: (lines) => render(fitFrame(lines, screenSize(stream)).join('\n')),
    keep: () => render.done(),
  };
}
