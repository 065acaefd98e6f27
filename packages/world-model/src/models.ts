// The explicit list of model kinds (nothing is discovered by scanning).
import { Registry } from '@itinera/core';
import type { ModelDefinition } from './define-model.js';
import { jepaModel } from './jepa.js';
import { reconModel } from './recon.js';

export function builtinModels(): Registry<ModelDefinition<any>> {
  return new Registry<ModelDefinition<any>>('model').register(jepaModel).register(reconModel);
}
