// The runbook's Storage API, bound to one pool: a thin face over the per-table modules.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type SerializableValue, type DatabasePool } from 'slonik';
import type { ExecutionRecord, MetricsRecord, RunRecord } from '../core/records.ts';
import { insertExecutions, type ExecutionKey } from './executions.ts';
import {
  getExecutions,
  getLatestExecutions,
  type ExecutionFilter,
  type ExecutionRow,
  type LatestExecution,
} from './execution-queries.ts';
import { getWorkflowPerformanceStats, type PerformanceStats, type StatsWindow } from './execution-stats.ts';
import { getReports, saveReport, type ReportFilter, type ReportRecord, type StoredReport } from './reports.ts';
import { cleanupOldRecords, type CleanupOptions, type CleanupResult } from './retention.ts';
import { upsertRun } from './runs.ts';
import { getWindowStatsPerWorkflow, type WindowStatsOptions, type WindowStatsSnapshot } from './window-stats.ts';
import { cappedPayload } from './storable.ts';

/** Metrics for an attempt stored earlier; false when the attempt is unknown or already has them. */
export async function saveWorkflowMetrics(
  db: CommonQueryMethods,
  key: ExecutionKey,
  m: MetricsRecord,
): Promise<boolean> {
  const n = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);
  const rows = await db.any(sql.type(z.object({ id: z.number() }))`
    INSERT INTO workflow_metrics (execution_id, started_at, workflow_id, run_id, total_duration_ms,
      api_response_time_ms, page_load_time_ms, ttfb_ms, dom_content_loaded_ms, lcp_ms, cls, memory_usage_mb,
      cpu_usage, performance_score, raw)
    SELECT id, started_at, workflow_id, run_id, ${Math.max(0, Math.round(m.totalDurationMs))}, ${n(m.apiResponseTimeMs)},
      ${n(m.pageLoadTimeMs)}, ${n(m.ttfbMs)}, ${n(m.domContentLoadedMs)}, ${n(m.lcpMs)}, ${n(m.cls)},
      ${n(m.memoryUsageMb)}, ${n(m.cpuUsage)}, ${n(m.performanceScore)}, ${sql.jsonb(cappedPayload(m.raw) as SerializableValue)}
    FROM workflow_executions WHERE run_id = ${key.runId} AND test_id = ${key.testId} AND retry = ${key.retry}
    ON CONFLICT DO NOTHING
    RETURNING execution_id AS id`);
  return rows.length > 0;
}

export type StorageOptions = Omit<CleanupOptions, 'days' | 'now'>;

export type Storage = {
  readonly pool: DatabasePool;
  saveRun(run: RunRecord): Promise<void>;
  /** true when the attempt was new. */
  saveWorkflowExecution(record: ExecutionRecord): Promise<boolean>;
  /** The batch path; returns how many attempts were new. */
  saveWorkflowExecutions(records: readonly ExecutionRecord[]): Promise<number>;
  saveWorkflowMetrics(key: ExecutionKey, metrics: MetricsRecord): Promise<boolean>;
  saveReport(report: ReportRecord): Promise<void>;
  getReports(filter?: ReportFilter): Promise<StoredReport[]>;
  getWorkflowExecutions(filter?: ExecutionFilter): Promise<ExecutionRow[]>;
  getLatestExecutions(): Promise<LatestExecution[]>;
  getWorkflowPerformanceStats(workflowId: string, window?: StatsWindow): Promise<PerformanceStats>;
  /** Every workflow's runs, success rate and p95 over the last 24 hours (cached up to a minute). */
  getWindowStats(options?: WindowStatsOptions): Promise<WindowStatsSnapshot>;
  /** `days` is RETENTION_DAYS; the other tiers come from the storage options. */
  cleanupOldRecords(days?: number, overrides?: Partial<CleanupOptions>): Promise<CleanupResult>;
};

export function createStorage(pool: DatabasePool, options: StorageOptions = {}): Storage {
  return {
    pool,
    saveRun: (run) => upsertRun(pool, run),
    saveWorkflowExecution: async (record) => (await insertExecutions(pool, [record])) === 1,
    saveWorkflowExecutions: (records) => insertExecutions(pool, records),
    saveWorkflowMetrics: (key, metrics) => saveWorkflowMetrics(pool, key, metrics),
    saveReport: (report) => saveReport(pool, report),
    getReports: (filter) => getReports(pool, filter),
    getWorkflowExecutions: (filter) => getExecutions(pool, filter),
    getLatestExecutions: () => getLatestExecutions(pool),
    getWorkflowPerformanceStats: (workflowId, window) => getWorkflowPerformanceStats(pool, workflowId, window),
    getWindowStats: (windowOptions) => getWindowStatsPerWorkflow(pool, windowOptions),
    cleanupOldRecords: (days, overrides) =>
      cleanupOldRecords(pool, { ...options, ...overrides, ...(days === undefined ? {} : { days }) }),
  };
}
