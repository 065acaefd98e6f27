// Learned models start from an observation, sampling planners hand models the env's snapshot: this wrapper makes
// every snapshot carry the observation it was taken at, so planners run unchanged on either kind of model.
import { EnvWrapper, type Env, type EnvSnapshot, type ObservedSnapshot, type ResetResult, type StepResult } from '@itinera/core';

interface Observed extends ObservedSnapshot {
  readonly kind: 'observed';
  readonly inner: EnvSnapshot;
}

export class ObservedEnv extends EnvWrapper {
  private last: Float64Array;

  constructor(inner: Env) {
    super(inner);
    this.last = new Float64Array(inner.observationSpec.size);
  }

  reset(options?: { seed?: number }): ResetResult {
    const r = this.inner.reset(options);
    this.last = Float64Array.from(r.observation);
    return r;
  }

  step(action: ArrayLike<number>): StepResult {
    const r = this.inner.step(action);
    this.last = Float64Array.from(r.observation);
    return r;
  }

  snapshot(): Observed {
    return { kind: 'observed', inner: this.inner.snapshot(), observation: Float64Array.from(this.last) };
  }

  restore(snapshot: EnvSnapshot): void {
    if (snapshot.kind !== 'observed') return this.inner.restore(snapshot);
    const s = snapshot as Observed;
    this.inner.restore(s.inner);
    this.last = Float64Array.from(s.observation);
  }
}
