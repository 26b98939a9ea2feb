// Synthetic history: `workflows` journeys each run every 5 minutes, ending now, until
// `executions` attempts exist. Deterministic (seeded) so two runs measure the same data.
import type { ExecutionRecord } from '../../core/records.ts';
import { seededRandom } from '../../test/helpers/seeded-random.ts';

export const SCHEDULE_MS = 5 * 60_000;

/** The data set's size and how it is ingested: the options both benches take (parseArgs form). */
export const datasetOptions = {
  executions: { type: 'string', default: '1000000' },
  workflows: { type: 'string', default: '1000' },
  batch: { type: 'string', default: '1000' },
  concurrency: { type: 'string', default: '2' },
} as const;

export type GeneratorOptions = { executions: number; workflows: number; now: number; seed?: number };

export function workflowId(w: number): string {
  return `wf-${String(w).padStart(4, '0')}`;
}

const priorities = ['critical', 'high', 'medium', 'low'] as const;

/** Yields batches of records, oldest tick first, every workflow once per tick. */
export function* generateBatches(options: GeneratorOptions, batchSize: number): Generator<ExecutionRecord[]> {
  const random = seededRandom(options.seed ?? 42);
  const ticks = Math.ceil(options.executions / options.workflows);
  const start = options.now - ticks * SCHEDULE_MS;
  let produced = 0;
  let batch: ExecutionRecord[] = [];
  for (let tick = 0; tick < ticks && produced < options.executions; tick++) {
    const runId = `bench-run-${tick}`;
    for (let w = 0; w < options.workflows && produced < options.executions; w++) {
      const id = workflowId(w);
      // Spread the workflows over the 5-minute slot, as a real scheduler would.
      const startedAt = new Date(start + tick * SCHEDULE_MS + Math.floor((w / options.workflows) * SCHEDULE_MS));
      const roll = random();
      const status = roll < 0.04 ? 'failed' : roll < 0.05 ? 'timedOut' : 'passed';
      const flaky = status === 'passed' && random() < 0.02;
      const base = 500 + (w % 50) * 90;
      const durationMs = Math.round(base * (0.7 + random() * 0.6) * (status === 'timedOut' ? 6 : 1));
      const third = Math.round(durationMs / 3);
      batch.push({
        runId,
        testId: `test-${id}`,
        retry: 0,
        workflowId: id,
        name: `Workflow ${w}`,
        type: 'journey',
        priority: priorities[w % 4]!,
        status,
        outcome: flaky ? 'flaky' : status === 'passed' ? 'expected' : 'unexpected',
        startedAt,
        durationMs,
        totalSteps: 3,
        passedSteps: status === 'passed' ? 3 : 2,
        failedSteps: status === 'passed' ? 0 : 1,
        error: status === 'passed' ? null : `Error: expected heading to be visible (${status})`,
        failedStep: status === 'passed' ? null : 'Reach dashboard',
        tracePath: status === 'passed' && !flaky ? null : `${runId}/${id}/trace.zip`,
        screenshotPath: status === 'passed' && !flaky ? null : `${runId}/${id}/failure.png`,
        tags: [`@${priorities[w % 4]}`, `@${id}`],
        steps: [
          { index: 0, title: 'Open page', durationMs: third, error: null },
          { index: 1, title: 'Fill form', durationMs: third, error: null },
          {
            index: 2,
            title: 'Reach dashboard',
            durationMs: durationMs - 2 * third,
            error: status === 'passed' ? null : 'not visible',
          },
        ],
        metrics: {
          totalDurationMs: durationMs,
          apiResponseTimeMs: Math.round(50 + random() * 200),
          pageLoadTimeMs: Math.round(300 + random() * 900),
          ttfbMs: Math.round(20 + random() * 80),
          domContentLoadedMs: Math.round(200 + random() * 500),
          lcpMs: Math.round(400 + random() * 1200),
          cls: Math.round(random() * 100) / 1000,
          memoryUsageMb: Math.round(30 + random() * 40),
          cpuUsage: null,
          performanceScore: Math.round(60 + random() * 40),
          raw: { navigation: { type: 'navigate' } },
        },
        health:
          w % 10 === 0
            ? {
                healthy: status === 'passed',
                status: status === 'passed' ? 'ok' : 'degraded',
                responseTimeMs: Math.round(10 + random() * 90),
                databaseHealthy: true,
                apiHealthy: status === 'passed',
                cacheHealthy: true,
                payload: { version: '1.0.0' },
              }
            : null,
      });
      produced++;
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

/** Rows one attempt writes: itself, its steps, metrics and health check. */
export function rowsOf(r: ExecutionRecord): number {
  return 1 + r.steps.length + (r.metrics ? 1 : 0) + (r.health ? 1 : 0);
}
