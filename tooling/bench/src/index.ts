// Public API of @gw/bench.
export { type CompareOptions, type ComparisonResult, type Contender, compare } from './compare.ts';
export { formatLoadResult } from './format-load.ts';
export { type BenchRow, type ComparisonRow, formatTable, printTable, withRatios } from './format-table.ts';
export { formatDuration, formatRate, formatRatio } from './format-units.ts';
export { type HttpLoadOptions, httpLoad, type LoadEngine, type LoadResult } from './http-load.ts';
export { reportPhase, runPhase } from './isolated-phase.ts';
export { medianBy, percentile, type Summary, summarize, timeRatio } from './statistics.ts';
export { findRepositoryRoot, type WriteResultsOptions, writeResults } from './write-results.ts';
