export { parseRobotYaml, loadRobotFile } from './yaml.js';
export { validateRobotSpec, checkRobotSpec } from './validate.js';
export { builtinRobotNames, loadBuiltinRobot, BUILTIN_ROBOTS_DIR } from './builtin.js';
export { robotFileSchema, type RobotFile } from './schema.js';
