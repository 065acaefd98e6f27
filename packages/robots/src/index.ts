export { parseRobotYaml, loadRobotYaml, MAX_ROBOT_YAML_BYTES } from './yaml.js';
export { validateRobotSpec, checkRobotSpec, robotWarnings, MAX_ROBOT_NUMBER } from './validate.js';
export { builtinRobotNames, loadBuiltinRobot, BUILTIN_ROBOTS_DIR } from './builtin.js';
export { robotFileSchema, type RobotFile } from './schema.js';
export { loadUrdfFile, parseUrdf, WORLD_LINK, FRAME_LINK_MASS, MAX_URDF_BYTES, type UrdfImport, type UrdfOptions } from './urdf.js';
export { loadMjcfFile, parseMjcf, MJCF_WORLD_LINK, type MjcfOptions } from './mjcf.js';
export { loadRobotFile, readRobotFile, ROBOT_MODULE_EXTENSIONS, type RobotImport, type RobotFileOptions } from './load-robot-file.js';
export { defineRobot, isRobotDefinition, buildRobot, loadRobotModule, type RobotDefinition, type RobotInput } from './define-robot.js';
