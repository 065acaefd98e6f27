// The replay player's clock, driven by hand-fed animation frames: it never leaves the episode's moments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Player } from '@itinera/viewer/page/player';

function withFrames(body: (frame: (t: number) => void) => void): void {
  const queue: FrameRequestCallback[] = [];
  const saved = globalThis.requestAnimationFrame;
  globalThis.requestAnimationFrame = (cb) => queue.push(cb);
  try {
    body((t) => queue.splice(0).forEach((cb) => cb(t)));
  } finally {
    globalThis.requestAnimationFrame = saved;
  }
}

test('a frame stamped before play() was pressed keeps the player on its first moment, and playback stops at the last', () => {
  withFrames((frame) => {
    const shown: number[] = [];
    const player = new Player(5, 0.1, (i) => shown.push(i), () => {});
    player.seek(4);
    player.play(); // at the end: starts over from 0
    const start = performance.now();
    frame(start - 50); // browsers stamp a frame with its start, which can precede play()
    assert.equal(player.index, 0);
    frame(start + 250);
    assert.equal(player.index, 2);
    frame(start + 10_000);
    assert.equal(player.index, 4);
    assert.equal(player.isPlaying, false);
    assert.ok(shown.every((i) => i >= 0 && i < 5), `shown ${shown.join(',')}`);
  });
});
