import type { Env } from '@itinera/core';

export const LIVE_ENV_REFUSAL = 'planners must not step the live env';

const REFUSED = ['step', 'reset', 'restore'] as const;

/** Held while a plan runs: the live env refuses step/reset/restore until release(). */
export interface LiveEnvLock {
  /** The refusal, if anything tried to advance the env while locked. */
  readonly refused: Error | undefined;
  release(): void;
}

/** Locks `env` itself, not a wrapper, because a planner may hold a reference to the very object the runner steps. */
export function lockLiveEnv(env: Env): LiveEnvLock {
  const target = env as unknown as Record<string, unknown>;
  const saved = REFUSED.map((name) => [name, Object.getOwnPropertyDescriptor(env, name)] as const);
  let refused: Error | undefined;
  let held = true;
  const refuse = (): never => {
    refused ??= new Error(LIVE_ENV_REFUSAL);
    throw refused;
  };
  // Own properties shadow the class's methods; releasing deletes them or puts back what was there.
  for (const name of REFUSED) Object.defineProperty(env, name, { value: refuse, configurable: true, writable: true });
  return {
    get refused() {
      return refused;
    },
    release() {
      if (!held) return;
      held = false;
      for (const [name, descriptor] of saved) {
        if (descriptor) Object.defineProperty(env, name, descriptor);
        else delete target[name];
      }
    },
  };
}
