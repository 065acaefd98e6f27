import { filter, map } from 'rxjs';
import type { TriggerSource } from './types.js';

/** Plans every `every` control steps (receding horizon); step 0 is replanAtStart's. */
export function replanEvery(every: number, level = 0): TriggerSource {
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`replanEvery must be a positive integer (got ${every})`);
  return (tick$) =>
    tick$.pipe(
      filter((tick) => tick.step > 0 && tick.step % every === 0),
      map((tick) => ({ tick, level, reason: 'periodic' })),
    );
}
