export { zeroPlanner, randomPlanner } from './trivial.js';
export { predictiveSamplingPlanner } from './predictive-sampling.js';
export { cemPlanner } from './cem.js';
export { mppiPlanner } from './mppi.js';
export { gradientPlanner } from './gradient.js';
export { createSamplingPlanner, type Optimiser, type SamplingPlanner } from './sampling-planner.js';
export { samplingSchema, samplingOptions, effectiveSamples, type SamplingConfig } from './sampling-config.js';
export { evaluate, rasterise, shift, planPolicy, type KnotPlan, type Interpolation } from './action-plan.js';
export { KnotPlans, type KnotLayout } from './knot-plans.js';
