// Play, pause and seek through an episode's moments; playback runs in simulated time, scaled by `speed`.
export class Player {
  index = 0;
  speed = 1;
  private playing = false;
  private position = 0;
  private last = 0;

  constructor(
    private readonly count: number,
    /** Simulated seconds between moments. */
    private readonly dt: number,
    private readonly onShow: (index: number) => void,
    private readonly onPlaying: (playing: boolean) => void,
  ) {}

  get isPlaying(): boolean {
    return this.playing;
  }

  seek(index: number): void {
    this.index = Math.min(this.count - 1, Math.max(0, Math.round(index)));
    this.position = this.index;
    this.onShow(this.index);
  }

  play(): void {
    if (this.playing) return;
    if (this.index >= this.count - 1) this.seek(0);
    this.playing = true;
    this.onPlaying(true);
    this.last = performance.now();
    requestAnimationFrame(this.advance);
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    this.onPlaying(false);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  private readonly advance = (now: number) => {
    if (!this.playing) return;
    // A frame's timestamp is when the frame began, which can precede the performance.now() taken in play().
    this.position += (Math.max(0, now - this.last) / 1000 / this.dt) * this.speed;
    this.last = Math.max(this.last, now);
    const index = Math.min(this.count - 1, Math.floor(this.position));
    if (index !== this.index) {
      this.index = index;
      this.onShow(index);
    }
    if (index >= this.count - 1) this.pause();
    else requestAnimationFrame(this.advance);
  };
}
