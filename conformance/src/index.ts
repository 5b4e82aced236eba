export { runConformance, rollUp, UsageError, DEFAULT_LATENCY, DEFAULT_SIGNING_KEY, SUITES, type RunOptions, type RunOutcome } from './runner.js';
export { verifyBundle, readBundleResults, openBundle, canonicalJson, loadOrCreateSigningKey, sha256, type VerifyResult } from './evidence.js';
export { clauses, coverage, profiles, profile, loadRequirements, inRegistry, type Clause, type Profile } from './registry.js';
export { loadFlows, buildCollection, FLOWS_DIR, type Flow } from './collection.js';
export { terminalReport, markdown, type RunResults } from './summary.js';
export { operationsOf, sample, deref } from './openapi.js';
export { Rng } from './rng.js';
export { percentile } from './suites/latency.js';
export * from './types.js';
