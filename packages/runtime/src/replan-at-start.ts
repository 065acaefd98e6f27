import { map, take } from 'rxjs';
import type { TriggerSource } from './types.js';

/** Plans at the first tick: there is no policy to act with yet. */
export function replanAtStart(level = 0): TriggerSource {
  return (tick$) => tick$.pipe(take(1), map((tick) => ({ tick, level, reason: 'start' })));
}
