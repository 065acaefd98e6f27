export { checkEnv, type CheckEnvOptions } from './check-env.js';
export { PointMassEnv, PointMassModel } from './point-mass.js';
