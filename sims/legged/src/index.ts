export { stand, seededPushes, type StandOptions, type StandState, type Push } from './stand.js';
export { goto, type GotoOptions, type GotoState } from './goto.js';
export { findFeet, robotMass } from './feet.js';
export { measureGait, soles, swingLift, type GaitOptions, type GaitState } from './gait.js';
