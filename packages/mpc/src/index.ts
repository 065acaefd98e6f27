export { zeroPlanner, randomPlanner } from './trivial.js';
