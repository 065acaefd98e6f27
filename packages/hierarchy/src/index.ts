export { TreeExecutor, type SubgoalEvent, type TreeSignal, type ExecutorStatus } from './executor.js';
export { representationGap } from './waypoint-model.js';
export { WaypointPlanner, WAYPOINT_DEFAULTS, type WaypointPlannerOptions } from './waypoint-planner.js';
export { HierarchicalPlanner, HIERARCHY_DEFAULTS, type HierarchyConfig, type HierarchicalPlannerParts, type LevelReport } from './hierarchical-planner.js';
export { defineHierarchicalPlanner, chooseTree, type HierarchicalConfig, type HierarchyPlugins } from './hierarchical-definition.js';
