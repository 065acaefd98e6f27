export { main } from './main.js';
export { builtinPlanners, builtinScenarios } from './registries.js';
export { resolveRobot, resolveRobotAsync } from './robot-source.js';
export { runCommand, type RunArgs } from './commands/run.js';
