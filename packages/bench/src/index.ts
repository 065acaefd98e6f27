export { loadSuite, suiteSchema, suiteSeeds, type Suite } from './suite.js';
export { episodeMatrix, episodeKey, canonicalJson, type EpisodeSpec, type ScenarioAxis, type PlannerAxis } from './matrix.js';
export { runBenchEpisode, WALL_CLOCK_FIELDS, type BenchRecord, type EpisodeRig } from './bench-episode.js';
export { ResultsFile } from './results-file.js';
export { summariseBench, type BenchSummary, type GroupSummary } from './summary.js';
export { formatReport } from './report.js';
export { wilsonInterval95, percentiles } from './stats.js';
export { benchPlots, writeBenchPlots, renderSvg, type ReportPlot } from './plots.js';
