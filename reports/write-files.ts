// monitoring-reports/<report id>.md and .json. Written to a temporary name and renamed, so a
// reader (a CI artifact upload, a web server) never sees half a report; a regenerated report
// replaces its files as it replaces its row.
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportBody } from './report-body.ts';

export type ReportFiles = { markdown: string; json: string };

async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content, 'utf8');
  await rename(temp, file);
}

export async function writeReportFiles(dir: string, body: ReportBody, markdown: string): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const files = { markdown: path.join(dir, `${body.reportId}.md`), json: path.join(dir, `${body.reportId}.json`) };
  await writeAtomically(files.json, `${JSON.stringify(body, null, 2)}\n`);
  await writeAtomically(files.markdown, markdown);
  return files;
}

/** GitHub Actions renders whatever Markdown a step appends to this file on the run's page. */
export async function appendStepSummary(file: string, markdown: string): Promise<void> {
  await appendFile(file, `${markdown}\n`, 'utf8');
}
