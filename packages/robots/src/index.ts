export { parseRobotYaml, loadRobotFile } from './yaml.js';
export { validateRobotSpec, checkRobotSpec } from './validate.js';
export { builtinRobotNames, loadBuiltinRobot, BUILTIN_ROBOTS_DIR } from './builtin.js';
export { robotFileSchema, type RobotFile } from './schema.js';
export { loadUrdfFile, parseUrdf, WORLD_LINK, FRAME_LINK_MASS, type UrdfImport, type UrdfOptions } from './urdf.js';
export { defineRobot, isRobotDefinition, buildRobot, loadRobotModule, type RobotDefinition, type RobotInput } from './define-robot.js';
