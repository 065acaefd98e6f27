// Learned models start from an observation, sampling planners hand models the env's snapshot: this wrapper makes
// every snapshot carry the observation it was taken at, so planners run unchanged on either kind of model.
import { EnvWrapper, subgoalWriter, type Env, type EnvSnapshot, type ObservedSnapshot, type ResetResult, type StepResult, type Subgoal, type WrapperSnapshot } from '@itinera/core';

interface Observed extends ObservedSnapshot, WrapperSnapshot {
  readonly kind: 'observed';
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

  /** The subgoal goes into the inner env's snapshot, where its task reads it. */
  withSubgoal(snapshot: EnvSnapshot, subgoal: Subgoal | undefined): EnvSnapshot {
    if (snapshot.kind !== 'observed') return super.withSubgoal(snapshot, subgoal);
    const s = snapshot as Observed;
    return { ...s, inner: subgoalWriter(this.inner).withSubgoal(s.inner, subgoal) } as Observed;
  }

  restore(snapshot: EnvSnapshot): void {
    if (snapshot.kind !== 'observed') return this.inner.restore(snapshot);
    const s = snapshot as Observed;
    this.inner.restore(s.inner);
    this.last = Float64Array.from(s.observation);
  }
}
