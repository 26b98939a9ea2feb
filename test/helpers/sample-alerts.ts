// Realistic alerts of every shape, for tests, previews and end-to-end checks of the channels.
// The figures follow the runbook's "Expected Slack Messages".
import type { Priority } from '../../core/workflow.ts';
import type { Alert, DigestItem } from '../../notifiers/alert.ts';

export const sampleTime = new Date('2025-11-15T10:30:45Z');

const userLogin = { id: 'user-login', name: 'User Login', priority: 'critical' as const, type: 'auth' };

/** An error as long as you like, with ANSI colours and markup characters, as Playwright writes them. */
export function longError(chars: number): string {
  const head =
    '\u001b[31mError: Login button not found after 5000ms\u001b[39m\n<script>@everyone & <!channel> *bold* _it_ ```fence```\n';
  const line =
    "    at /app/workflows/user-login.spec.ts:12:5 — waiting for getByRole('button', { name: 'Sign In' }) ✓ ünïcödé 🌾\n";
  let text = head;
  while (text.length < chars) text += line;
  return text.slice(0, chars);
}

export function failureAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    kind: 'failure',
    title: 'Workflow Failed: User Login',
    priority: 'critical',
    workflow: userLogin,
    status: 'failed',
    failedStep: { index: 2, total: 5, title: 'Sign in' },
    error: 'Login button not found after 5000ms',
    durationMs: 5230,
    runId: 'run_1234567890_abc123',
    at: sampleTime,
    traceUrl: 'https://monitor.example.com/runs/run_1234567890_abc123/user-login/trace.zip',
    tracePath: '/var/lib/workflow-monitor/artifacts/run_1234567890_abc123/user-login/trace.zip',
    screenshotPath: '/var/lib/workflow-monitor/artifacts/run_1234567890_abc123/user-login/failure.png',
    ...overrides,
  };
}

export function recoveryAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    kind: 'recovery',
    title: 'Workflow Recovered: User Login',
    priority: 'critical',
    workflow: userLogin,
    status: 'recovered',
    durationMs: 3120,
    downtimeMs: 47 * 60_000,
    runId: 'run_1234569999_def456',
    at: new Date(sampleTime.getTime() + 47 * 60_000),
    ...overrides,
  };
}

const priorityCycle: Priority[] = ['critical', 'high', 'medium', 'low'];

export function digestItems(count: number, errorChars = 180): DigestItem[] {
  return Array.from({ length: count }, (_, i) => ({
    workflowId: `workflow-${String(i + 1).padStart(2, '0')}`,
    name: `Workflow ${String(i + 1).padStart(2, '0')}`,
    priority: priorityCycle[i % priorityCycle.length] ?? 'medium',
    status: i % 7 === 6 ? 'timedOut' : 'failed',
    error: `${longError(errorChars)}`,
    count: (i % 3) + 1,
    runId: `run_${1000 + i}`,
    at: new Date(sampleTime.getTime() + i * 1000),
  }));
}

export function digestAlert(count = 40, overrides: Partial<Alert> = {}): Alert {
  return {
    kind: 'digest',
    title: `${count} workflows failing`,
    priority: 'critical',
    message: 'Alert storm: individual alerts are folded into this digest until things calm down.',
    items: digestItems(count),
    at: sampleTime,
    runId: 'run_1234567890_abc123',
    ...overrides,
  };
}

export function reportAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    kind: 'report',
    title: 'Daily Workflow Monitoring Summary',
    priority: 'low',
    report: {
      period: 'Daily',
      periodStart: new Date('2025-11-14T10:30:00Z'),
      periodEnd: new Date('2025-11-15T10:30:00Z'),
      total: 144,
      successRate: 92.5,
      passed: 133,
      failed: 11,
      avgDurationMs: 4210,
      criticalIssues: 0,
    },
    at: sampleTime,
    ...overrides,
  };
}

export function criticalAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    kind: 'critical',
    title: 'System Down',
    priority: 'critical',
    message: 'Database connection lost',
    context: { server: 'db-01', region: 'eu-west-1', attempts: 3, healthy: false },
    at: sampleTime,
    ...overrides,
  };
}
