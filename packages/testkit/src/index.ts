export { checkEnv, type CheckEnvOptions } from './check-env.js';
