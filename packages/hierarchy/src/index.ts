export { Channels, basePose, type Situation, type Subgoal, type PlainValue } from './situation.js';
export { skill, task, method, defineTaskTree, missingChannels, type Skill, type Method, type CompoundTask, type TreeNode, type TaskTree, type WorldEvent } from './task-tree.js';
export { TreeExecutor, TASK_LEVEL, type SubgoalEvent, type TreeSignal, type ExecutorStatus } from './executor.js';
export { representationGap, type WaypointModel, type WaypointStart } from './waypoint-model.js';
export { KinematicRoverModel, ROVER_LEVEL1, wrap, type KinematicRoverOptions } from './kinematic-rover.js';
export { WaypointPlanner, WAYPOINT_DEFAULTS, type WaypointPlannerOptions } from './waypoint-planner.js';
export { HierarchicalPlanner, HIERARCHY_DEFAULTS, type HierarchyConfig, type HierarchicalPlannerParts, type LevelReport } from './hierarchical-planner.js';
export { defineHierarchicalPlanner, chooseTree, type HierarchicalConfig, type HierarchyPlugins } from './hierarchical-definition.js';
export { driveResiduals, DRIVE_COST_TERMS, type DriveSubgoal } from './drive-cost.js';
