// PM2: `npm run monitor:daemon:pm2` (pm2 start ecosystem.config.cjs). One daemon per machine is
// enough; several machines may run one each against the same database (every slot runs once).
module.exports = {
  apps: [
    {
      name: 'workflow-monitor-daemon',
      script: 'bin/workflow-monitor.ts',
      args: 'daemon',
      interpreter: 'node',
      // The young generation kept small, the compile cache on (scheduler/node-args.ts says why).
      node_args: '--max-semi-space-size=2 --import=./scheduler/compile-cache.mjs',
      cwd: __dirname,
      instances: 1,
      exec_mode: 'fork',
      autorestart: true,
      // A crash loop backs off instead of hammering the database; a clean exit (SIGTERM) is not restarted.
      exp_backoff_restart_delay: 1000,
      max_restarts: 50,
      min_uptime: '30s',
      max_memory_restart: '512M',
      // The daemon stops taking work on SIGINT and lets runs finish (MONITOR_SHUTDOWN_TIMEOUT_SECONDS, 60 s by default).
      kill_signal: 'SIGINT',
      kill_timeout: 90_000,
      time: true,
      merge_logs: true,
      out_file: 'logs/pm2/workflow-monitor-out.log',
      error_file: 'logs/pm2/workflow-monitor-error.log',
      env: {
        NODE_ENV: 'production',
      },
    },
  ],
};
