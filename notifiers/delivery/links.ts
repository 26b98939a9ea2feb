// With MONITOR_PUBLIC_URL set (where people reach the dashboard), every alert links to its
// result: the failure view of the run's attempt of that workflow (`#/run/<run>/<workflow>`,
// the newest retry), and Playwright's trace viewer on its trace when one was kept. Alerts about
// no single run (digests, reports) link to the overview.
import type { Alert } from '../alert.ts';

export function withLinks(alert: Alert, publicUrl: string | null | undefined): Alert {
  if (!publicUrl) return alert;
  const base = publicUrl.replace(/\/+$/, '');
  if (!alert.runId || !alert.workflow) return { ...alert, resultUrl: alert.resultUrl ?? `${base}/` };
  const run = encodeURIComponent(alert.runId);
  const workflow = encodeURIComponent(alert.workflow.id);
  const trace = `${base}/api/artifact?run=${run}&workflow=${workflow}&kind=trace`;
  return {
    ...alert,
    resultUrl: alert.resultUrl ?? `${base}/#/run/${run}/${workflow}`,
    traceUrl:
      alert.traceUrl ?? (alert.tracePath ? `${base}/trace-viewer/index.html?trace=${encodeURIComponent(trace)}` : null),
  };
}
