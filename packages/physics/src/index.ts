export { initPhysics } from './rapier.js';
export { PhysicsWorld, DEFAULT_PHYSICS, livePhysicsWorlds, type PhysicsOptions, type PhysicsSnapshot } from './physics-world.js';
export { PhysicsEnv, TimeLimit, createEnv, type EnvOptions } from './physics-env.js';
export { checkRobot, checkRobotReport, type CheckRobotOptions, type CheckRobotReport } from './check-robot.js';
export { layoutRobot, type RobotLayout } from './kinematics.js';
export * as math from './math.js';
export { SimulatorModel, FAILURE_STEP_COST, type PlanningPhysics } from './simulator-model.js';
export { moveActors } from './scripted-actors.js';
