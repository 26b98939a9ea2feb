// Traces and screenshots outlive the run's output folder (the next run wipes it): copy the
// ones of failed or flaky attempts into the durable artifacts folder.
import { copyFile, mkdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { TestCase, TestResult } from '@playwright/test/reporter';
import type { ArtifactPaths } from './map-result.ts';

const safe = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 80);

/** Where an attempt's copies go: known before the attempt ends, so an early alert can name them. */
export function artifactDir(
  artifactsDir: string,
  runId: string,
  test: Pick<TestCase, 'title' | 'id'>,
  retry: number,
): string {
  return join(artifactsDir, safe(runId), `${safe(test.title)}-${test.id.slice(0, 8)}-retry${retry}`);
}

export async function copyArtifacts(
  artifactsDir: string,
  runId: string,
  test: TestCase,
  result: TestResult,
  sources: ArtifactPaths,
): Promise<ArtifactPaths> {
  const out: ArtifactPaths = { tracePath: null, screenshotPath: null };
  if (result.status === 'passed' || result.status === 'skipped') return out; // nothing worth keeping
  const dir = artifactDir(artifactsDir, runId, test, result.retry);
  for (const key of ['tracePath', 'screenshotPath'] as const) {
    const source = sources[key];
    if (!source) continue;
    try {
      await mkdir(dir, { recursive: true });
      const target = join(dir, (key === 'tracePath' ? 'trace' : 'screenshot') + extname(source));
      await copyFile(source, target);
      out[key] = target;
    } catch {
      out[key] = null; // the run goes on; the record says there is no copy
    }
  }
  return out;
}
