// What the alert policy hands to delivery: one platform-neutral description of something a
// person should know about. Channels decide how it looks; nothing here knows about Slack & co.
import type { NotificationKind } from '../core/records.ts';
import type { Priority } from '../core/workflow.ts';

export type AlertWorkflow = {
  id: string;
  name: string;
  priority: Priority;
  type: string;
};

export type FailedStep = {
  /** 1-based position of the failing step among the workflow's user steps. */
  index: number;
  total: number;
  title: string;
};

export type AlertLocations = { failing: string[]; passing: string[] };

/** One line of a digest (alert storm, reminder round-up): one workflow each. */
export type DigestItem = {
  workflowId: string;
  name: string;
  priority: Priority;
  status: string;
  error?: string | null;
  /** The failure's cause line (reporters/cause.ts), e.g. "POST /api/orders answered 500 during 'Place order'". */
  cause?: string | null;
  /** How many failures this line stands for (a storm folds repeats). */
  count?: number | null;
  runId?: string | null;
  at?: Date | null;
  locations?: AlertLocations | null;
};

/** The figures of the runbook's "Daily summary" (and the hourly one). */
export type ReportSummary = {
  periodStart: Date;
  periodEnd: Date;
  total: number;
  /** 0..100; null when nothing ran in the period. */
  successRate: number | null;
  passed: number;
  failed: number;
  avgDurationMs: number;
  criticalIssues: number;
  /** Optional label: "Daily", "Hourly". */
  period?: string;
};

export type Alert = {
  kind: NotificationKind;
  /** Plain text without emoji or markup ("Workflow Failed: User Login"); channels add their own decoration. */
  title: string;
  priority: Priority;
  /** Free text shown under the title. */
  message?: string | null;
  workflow?: AlertWorkflow | null;
  /** An attempt status (core/records.ts) or a state such as "degraded", "recovered". */
  status?: string | null;
  failedStep?: FailedStep | null;
  /** Why it failed, one line (reporters/cause.ts); every channel opens the alert with it. */
  cause?: string | null;
  error?: string | null;
  durationMs?: number | null;
  runId?: string | null;
  at: Date;
  /** The result on the dashboard (its failure view), set from MONITOR_PUBLIC_URL (links.ts). */
  resultUrl?: string | null;
  /** A link people can open (e.g. trace.playwright.dev or the dashboard). */
  traceUrl?: string | null;
  /** Durable path of trace.zip, for `npx playwright show-trace`. */
  tracePath?: string | null;
  screenshotPath?: string | null;
  screenshotUrl?: string | null;
  /** The locations (core/locations.ts) failing the workflow and those passing it, when the alert is about one. */
  locations?: AlertLocations | null;
  /** For a recovery: how long the workflow was down. */
  downtimeMs?: number | null;
  /** For digests. */
  items?: DigestItem[] | null;
  /** For reports. */
  report?: ReportSummary | null;
  /** For critical alerts: whatever helps (host, component, ...). Values are shown as text. */
  context?: Record<string, string | number | boolean | null> | null;
  /**
   * For an alert about no single workflow: alerts with the same incident are one incident (PagerDuty's
   * dedup key), so a recovery with it resolves what the failure opened (the daemon's pipeline alerts).
   */
  incident?: string | null;
};

/** The message `npm run test:notifications` sends: says where it comes from and that it is only a test. */
export function testAlert(at: Date, host: string): Alert {
  return {
    kind: 'test',
    title: 'Test notification from workflow-monitor',
    priority: 'low',
    message: `If you can read this, alerts from workflow-monitor on ${host} reach this place. No action needed.`,
    status: 'test',
    at,
  };
}
