export { checkEnv, type CheckEnvOptions } from './check-env.js';
export { PointMassEnv, PointMassModel } from './point-mass.js';
export { checkRobot, checkRobotReport, type CheckRobotOptions, type CheckRobotReport } from './check-robot.js';
