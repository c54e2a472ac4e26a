/** Counters of the shared pipeline, read by tests and the monitoring service. */
export interface PipelineStats {
  eventsCaptured: number;
  sanitizeCalls: number;
  sanitizeFailures: number;
  authorizationCacheHits: number;
  authorizationCacheMisses: number;
  principalsResolved: number;
  principalsRejected: number;
}

export const createPipelineStats = (): PipelineStats => ({
  eventsCaptured: 0,
  sanitizeCalls: 0,
  sanitizeFailures: 0,
  authorizationCacheHits: 0,
  authorizationCacheMisses: 0,
  principalsResolved: 0,
  principalsRejected: 0,
});
