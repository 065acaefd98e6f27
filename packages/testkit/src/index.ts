export { checkEnv, type CheckEnvOptions } from './check-env.js';
export { PointMassEnv, PointMassModel } from './point-mass.js';
// checkRobot is production code in physics (itinera check-robot --simulate); re-exported for code that imports it from here.
export { checkRobot, checkRobotReport, type CheckRobotOptions, type CheckRobotReport } from '@itinera/physics';
export { problemsOf } from './problems.js';
