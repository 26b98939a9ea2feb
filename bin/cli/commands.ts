// The command table of `workflow-monitor`. Each command is a module with a default export
// `(args) => Promise<exit code | void>` that answers `--help` itself.
export type CommandMain = (args: string[]) => Promise<number | void>;
export type Command = { summary: string; load: () => Promise<CommandMain> };

const lazy = (load: () => Promise<{ default: CommandMain }>) => () => load().then((m) => m.default);

export const commands: Record<string, Command> = {
  list: {
    summary: 'workflows, priority, schedule in words, next run, last status',
    load: lazy(() => import('./list.ts')),
  },
  run: { summary: 'run workflows now: run <id...> | run --grep <pattern>', load: lazy(() => import('./run.ts')) },
  critical: { summary: 'run every critical workflow now', load: lazy(() => import('./critical.ts')) },
  health: {
    summary: "run the health-check workflow now (--daemon: ask a running daemon's /healthz)",
    load: lazy(() => import('./health.ts')),
  },
  daemon: {
    summary: 'run the scheduler in the foreground (what PM2, systemd and Docker start)',
    load: lazy(() => import('./daemon.ts')),
  },
  dashboard: {
    summary: 'serve the dashboard alone (the daemon serves it too)',
    load: lazy(() => import('./dashboard.ts')),
  },
  reports: { summary: 'hourly/daily reports (delegates to bin/reports.ts)', load: lazy(() => import('./reports.ts')) },
  notify: {
    summary: 'notify test: send a test message through every configured channel',
    load: lazy(() => import('./notify.ts')),
  },
  setup: {
    summary: 'browser check, .env from .env.example, database and migrations',
    load: lazy(() => import('./setup.ts')),
  },
  db: { summary: 'db migrate: apply database migrations', load: lazy(() => import('./db.ts')) },
  cleanup: { summary: 'retention now: cleanup [--days N]', load: lazy(() => import('./cleanup.ts')) },
  trace: { summary: 'open the trace of an execution: trace <execution-id>', load: lazy(() => import('./trace.ts')) },
};

export function printUsage(stream: NodeJS.WritableStream = process.stdout): void {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  stream.write('usage: workflow-monitor <command> [options]    (every command takes --help)\n\ncommands:\n');
  for (const [name, c] of Object.entries(commands)) stream.write(`  ${name.padEnd(width)}  ${c.summary}\n`);
  stream.write(
    '\nGlobal: --json on every command that prints a table (list, health, reports, cleanup, notify) for machine-readable output.\nConfiguration comes from the environment (.env).\n',
  );
}
