export { runEpisode, type RunEpisodeOptions } from './run-episode.js';
