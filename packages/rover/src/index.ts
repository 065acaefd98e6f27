export { basePose, wheeledBase, BASE_POSE_CHANNELS } from './base.js';
export { driveResiduals, DRIVE_COST_TERMS, type DriveSubgoal } from './drive-cost.js';
export { LocalMap, LocalMaps } from './local-map.js';
export { KinematicRoverModel, ROVER_LEVEL1, wrap, type KinematicRoverOptions } from './kinematic-rover.js';
export { LearnedRoverModel, LEARNED_LEVEL1_DEFAULTS, type LearnedLevel1Options } from './learned-rover.js';
export { LEVEL1_INPUTS, LEVEL1_OUTPUTS, level1Input, level1Target, applyLevel1, planarState, type PlanarState } from './level1-features.js';
export { LEVEL1_FORMAT, level1File, loadLevel1File, saveLevel1File, type Level1File, type Level1Weights } from './level1-file.js';
export { kinematicRoverLevel, learnedRoverLevel, roverLevelModels, type RoverLevel1Config } from './level-models.js';
