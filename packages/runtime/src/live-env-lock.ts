import type { Env } from '@itinera/core';

export const LIVE_ENV_REFUSAL = 'planners must not step the live env';

const REFUSED = ['step', 'reset', 'restore'] as const;

/** Held while planner code runs (a plan, a policy's action): the live env refuses step/reset/restore until release(). */
export interface LiveEnvLock {
  /** The refusal, if anything tried to advance the env while locked. */
  readonly refused: Error | undefined;
  release(): void;
}

interface Held {
  refused?: Error;
}

const held = new WeakMap<Env, Held>();
const guarded = new WeakSet<Env>();

/** Locks `env` itself, not a wrapper, because a planner may hold a reference to the very object the runner steps. */
export function lockLiveEnv(env: Env): LiveEnvLock {
  guard(env);
  const state: Held = {};
  held.set(env, state);
  return {
    get refused() {
      return state.refused;
    },
    release() {
      if (held.get(env) === state) held.delete(env);
    },
  };
}

/**
 * Shadows step/reset/restore with own properties that refuse while a lock is held. Installed once per env and never
 * removed: deleting properties would drop the env into V8's slow dictionary mode.
 */
function guard(env: Env): void {
  if (guarded.has(env)) return;
  guarded.add(env);
  for (const name of REFUSED) {
    const method = env[name] as (...args: unknown[]) => unknown;
    const refusing = function (this: Env, ...args: unknown[]): unknown {
      const lock = held.get(env);
      if (lock) throw (lock.refused ??= new Error(LIVE_ENV_REFUSAL));
      return method.apply(this, args);
    };
    Object.defineProperty(env, name, { value: refusing, configurable: true, writable: true });
  }
}
