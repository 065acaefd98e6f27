// Two baselines every benchmark wants: do nothing, and act at random.
import { constantPolicy, definePlanner, Rng, type Planner } from '@itinera/core';
import { z } from 'zod';

export const zeroPlanner = definePlanner({
  name: 'zero',
  description: 'Applies the neutral action at every step: zero torque (servos hold their start targets); a passive baseline.',
  schema: z.object({}).strict(),
  defaults: {},
  needsModel: false,
  create: (_config, context): Planner => {
    // Neutral: zero torque, and servos held at their start targets.
    const zero = constantPolicy(context.actionSpec.neutral ?? new Float64Array(context.actionSpec.size));
    return { name: 'zero', plan: () => zero, reset: () => {}, dispose: () => {} };
  },
});

const randomSchema = z
  .object({
    scale: z.number().min(0).max(1).default(1).describe("Fraction of each actuator's limit the uniform noise spans."),
  })
  .strict();

export const randomPlanner = definePlanner({
  name: 'random',
  description: 'Uniform random torques within the actuator limits, seeded.',
  schema: randomSchema,
  defaults: randomSchema.parse({}),
  needsModel: false,
  create: (config, context): Planner => {
    const { low, high, size } = context.actionSpec;
    let rng = context.rng;
    return {
      name: 'random',
      plan: () => {
        const action = new Float64Array(size);
        for (let i = 0; i < size; i++) {
          const mid = (low[i] + high[i]) / 2;
          const half = ((high[i] - low[i]) / 2) * config.scale;
          action[i] = rng.uniform(mid - half, mid + half);
        }
        return constantPolicy(action);
      },
      reset: (seed) => {
        rng = new Rng(seed).fork('random-planner');
      },
      dispose: () => {},
    };
  },
});
