// Experience from any controller: wraps the live env, perturbs each action the runner applies with coloured noise
// (so a planner's data covers more than its own choices) and records what happened, one episode per reset.
import { EnvWrapper, Rng, type Env, type ResetResult, type StepResult } from '@itinera/core';
import type { Episode } from './dataset.js';

export class RecordingEnv extends EnvWrapper {
  private observations: number[] = [];
  private actions: number[] = [];
  private seed = 0;
  private rng = new Rng(0);
  private noise: Float64Array;
  private amplitude = 0;

  /**
   * `noiseAmplitude`: per episode, the noise's std is drawn from [0, noiseAmplitude] × each actuator's half range;
   * `noiseCorrelation` is its AR(1) coefficient per control step.
   */
  constructor(inner: Env, readonly noiseAmplitude = 0.3, readonly noiseCorrelation = 0.9) {
    super(inner);
    this.noise = new Float64Array(inner.actionSpec.size);
  }

  reset(options?: { seed?: number }): ResetResult {
    const r = this.inner.reset(options);
    this.seed = options?.seed ?? 0;
    this.rng = new Rng(this.seed).fork('action-noise');
    this.amplitude = this.rng.uniform(0, this.noiseAmplitude);
    this.noise.fill(0);
    this.observations = [...r.observation];
    this.actions = [];
    return r;
  }

  step(action: ArrayLike<number>): StepResult {
    const { low, high } = this.actionSpec;
    const b = this.noiseCorrelation;
    const applied = Float64Array.from(action, (a, i) => {
      this.noise[i] = b * this.noise[i] + Math.sqrt(1 - b * b) * this.rng.normal();
      return Math.min(high[i], Math.max(low[i], a + this.amplitude * ((high[i] - low[i]) / 2) * this.noise[i]));
    });
    const r = this.inner.step(applied);
    // A diverged state is not data: the episode ends at the last finite observation.
    if (r.observation.every(Number.isFinite)) {
      this.actions.push(...applied);
      this.observations.push(...r.observation);
    }
    return r;
  }

  /** The episode since the last reset. */
  episode(): Episode {
    const steps = this.actions.length / this.actionSpec.size;
    return { seed: this.seed, observations: Float32Array.from(this.observations), actions: Float32Array.from(this.actions), steps };
  }
}
