// npm run monitor:reports [-- options]: the last reports as a table, one report in full, or a
// report generated now.
//   node bin/reports.ts [--limit 20] [--kind hourly|daily] [--json]
//   node bin/reports.ts --show <report-id> [--json]
//   node bin/reports.ts --generate hourly|daily [--period-end <ISO time>] [--notify] [--json]
// Exit 0 done, 1 failed (or a part of --generate failed), 2 bad arguments or configuration.
import { parseArgs } from 'node:util';
import { ConfigError, exitOnConfigError } from '../config/parse-env.ts';
import { insertNotificationLog } from '../db/tables/notification-logs.ts';
import { withOpenDatabase } from '../db/open.ts';
import type { DatabasePool } from '../db/pool.ts';
import { getReportById } from '../reports/queries/report-by-id.ts';
import { getReports, reportKinds, type ReportKind } from '../db/tables/reports.ts';
import { parseChannelConfig, type ChannelConfig } from '../notifiers/config.ts';
import { createNotifier } from '../notifiers/delivery/deliver.ts';
import { loadReportsConfig, type ReportsConfig } from '../reports/config.ts';
import { generateReport } from '../reports/generate.ts';
import { renderMarkdown } from '../reports/render-markdown.ts';
import type { ReportBody } from '../reports/report-body.ts';
import { formatReportTable } from '../reports/report-table.ts';
import { processEnv } from '../config/env.ts';
import { runScriptMain } from './cli/script-main.ts';

const label = 'monitor:reports';
type Command =
  | { type: 'list'; limit: number; kind: ReportKind | undefined; json: boolean }
  | { type: 'show'; reportId: string; json: boolean }
  | { type: 'generate'; kind: ReportKind; periodEnd: Date; exactEnd: boolean; notify: boolean; json: boolean };

function parseCommand(argv: string[]): Command {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      generate: { type: 'string' },
      'period-end': { type: 'string' },
      show: { type: 'string' },
      json: { type: 'boolean', default: false },
      limit: { type: 'string' },
      kind: { type: 'string' },
      notify: { type: 'boolean', default: false },
    },
  });
  const problems: string[] = [];
  const kindOf = (flag: string, v: string | undefined): ReportKind | undefined => {
    if (v === undefined) return undefined;
    if ((reportKinds as readonly string[]).includes(v)) return v as ReportKind;
    problems.push(`--${flag} must be one of ${reportKinds.join(', ')}`);
    return undefined;
  };
  const generate = kindOf('generate', values.generate);
  const kind = kindOf('kind', values.kind);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    problems.push('--limit must be a whole number from 1 to 1000');
  const periodEnd = values['period-end'] === undefined ? new Date() : new Date(values['period-end']);
  if (Number.isNaN(periodEnd.getTime())) problems.push('--period-end must be a time such as 2026-11-15T00:00:00Z');
  if (values.generate !== undefined && values.show !== undefined) problems.push('use either --generate or --show');
  if (values.notify && values.generate === undefined) problems.push('--notify only goes with --generate');
  if (problems.length > 0) throw new ConfigError(problems);
  // By hand without --period-end the period ends now; a given end keeps the scheduled reports' hour alignment.
  if (generate)
    return {
      type: 'generate',
      kind: generate,
      periodEnd,
      exactEnd: values['period-end'] === undefined,
      notify: values.notify,
      json: values.json,
    };
  if (values.show !== undefined) return { type: 'show', reportId: values.show, json: values.json };
  return { type: 'list', limit, kind, json: values.json };
}

function isReportBody(body: unknown): body is ReportBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { version?: unknown }).version === 1 &&
    typeof (body as { reportId?: unknown }).reportId === 'string'
  );
}

async function run(
  pool: DatabasePool,
  command: Command,
  config: ReportsConfig,
  channels: ChannelConfig | null,
): Promise<number> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  if (command.type === 'list') {
    const reports = await getReports(pool, { limit: command.limit, ...(command.kind ? { kind: command.kind } : {}) });
    out(
      command.json
        ? JSON.stringify(
            reports.map(({ body: _body, ...r }) => r),
            null,
            2,
          )
        : formatReportTable(reports),
    );
    return 0;
  }
  if (command.type === 'show') {
    const stored = await getReportById(pool, command.reportId);
    if (!stored) {
      process.stderr.write(`${label}: no report "${command.reportId}"; list them with npm run monitor:reports\n`);
      return 1;
    }
    if (command.json) out(JSON.stringify(stored.body, null, 2));
    else if (isReportBody(stored.body)) out(renderMarkdown(stored.body, { maxWorkflows: 1000 }));
    else out(JSON.stringify(stored.body, null, 2));
    return 0;
  }
  const notifier =
    channels && channels.channels.length > 0
      ? createNotifier({
          channels: channels.channels,
          options: channels.options,
          log: async (record) => {
            await insertNotificationLog(pool, record);
          },
        })
      : null;
  if (command.notify && !notifier)
    process.stderr.write(`${label}: --notify: no channel is configured, the summary is not sent\n`);
  const result = await generateReport(pool, {
    kind: command.kind,
    periodEnd: command.periodEnd,
    exactEnd: command.exactEnd,
    notifier,
    config,
  });
  out(command.json ? JSON.stringify(result.body, null, 2) : result.markdown);
  if (result.files) process.stderr.write(`${label}: wrote ${result.files.markdown} and ${result.files.json}\n`);
  for (const d of result.deliveries ?? []) process.stderr.write(`${label}: summary to ${d.channel}: ${d.outcome}\n`);
  for (const p of result.problems) process.stderr.write(`${label}: ${p}\n`);
  return result.problems.length > 0 ? 1 : 0;
}

const help = `usage: workflow-monitor reports [--kind hourly|daily] [--limit 20] [--json]     (npm run monitor:reports -- ...)
       workflow-monitor reports --show <report-id> [--json]
       workflow-monitor reports --generate hourly|daily [--period-end <ISO time>] [--notify] [--json]

Without options: the last 20 reports as a table (--json: as JSON). --show prints one report in
full (Markdown; --json: its body). --generate makes a report now: by hand the period ends now,
with --period-end it ends at the hour before that time (as the daemon's scheduled reports);
--notify sends its summary through the configured channels. Exit 0 done, 1 failed, 2 bad
arguments or configuration. Environment: DATABASE_URL, MONITOR_STATE_DIR, MONITOR_REPORTS_DIR,
MONITOR_REPORT_RULES (see reports/README.md).`;

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  let command: Command;
  let config: ReportsConfig;
  let channels: ChannelConfig | null = null;
  try {
    command = parseCommand(process.argv.slice(2));
    const problems: string[] = [];
    const attempt = <T>(load: () => T): T | null => {
      try {
        return load();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
        return null;
      }
    };
    const env = processEnv();
    config = attempt(() => loadReportsConfig(env)) as ReportsConfig;
    if (command.type === 'generate' && command.notify) channels = attempt(() => parseChannelConfig(env));
    if (problems.length > 0) throw new ConfigError(problems);
  } catch (error) {
    if (error instanceof TypeError && 'code' in error) exitOnConfigError(new ConfigError([error.message]), label);
    exitOnConfigError(error, label);
  }
  return withOpenDatabase(config, (pool) => run(pool, command, config, channels), {
    pool: { maxPoolSize: 8, statementTimeoutMs: 120_000 },
  });
}

await runScriptMain(label, main);
