export { writeReplay, replayPage, type ReplaySummary } from './write-replay.js';
export { readRecording } from './read-recording.js';
export { buildReplay, DATA_ELEMENT_ID, type ReplayAdaptation, type ReplayData, type ReplayEpisode, type ReplayPlan, type TimelineEntry } from './replay-data.js';
export { replayHtml } from './replay-html.js';
export { pageBundle } from './page-bundle.js';
