// A block of lines redrawn in place on a terminal. Each frame is fitted to the screen first: a frame taller than
// the screen, or a line that wraps, cannot be erased and leaves copies in the scrollback.
import cliTruncate from 'cli-truncate';

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
  const width = Math.max(1, columns - 1);
  // A line of at most width/2 code units fits whatever its characters' widths; measuring is the costly part.
  return lines.slice(0, Math.max(0, rows - 1)).map((line) => (line.length * 2 <= width ? line : cliTruncate(line, width)));
}

/**
 * Erases the previous frame line by line from the bottom up (erase line, cursor up), then draws the next. Never
 * "erase to end of screen" from the top row: tmux (scroll-on-clear) moves such a cleared screen into the scrollback.
 */
export function liveRegion(stream: NodeJS.WriteStream): LiveRegion {
  let drawn = 0;
  return {
    update(lines) {
      const frame = fitFrame(lines, screenSize(stream));
      // Inside synchronized output (DEC mode 2026; ignored where unknown) the terminal shows erase and redraw at once.
      stream.write('\x1b[?2026h' + '\x1b[1A\x1b[2K'.repeat(drawn) + '\r' + frame.map((line) => line + '\n').join('') + '\x1b[?2026l');
      drawn = frame.length;
    },
    keep() {
      drawn = 0;
    },
  };
}
