// Level 1 is a WaypointModel (core): a DynamicsModel whose actions are waypoints, so the same sampling optimisers
// and any robot package's level-1 models (hand-written or learned) plug in unchanged.

/** Distance between two level-1 representations: the surprise a level-1 trigger compares with its threshold. */
export function representationGap(a: Float64Array, b: Float64Array): number {
  let sq = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) sq += (a[i] - b[i]) ** 2;
  return Math.sqrt(sq);
}
