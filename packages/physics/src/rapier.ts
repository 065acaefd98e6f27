// The one place Rapier is loaded; its wasm must be initialised once before any world exists.
import RAPIER from '@dimforge/rapier3d-compat';

let ready: Promise<void> | undefined;

export async function initPhysics(): Promise<void> {
  ready ??= RAPIER.init();
  await ready;
}

export { RAPIER };
