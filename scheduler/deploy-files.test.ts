// The deployment files stay consistent with the code: the GitHub workflow validates
// (@action-validator/cli), PM2 and systemd start the daemon the way it wants to be stopped,
// and the Docker image is the Playwright version the project pins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { daemonNodeArgs } from './node-args.ts';
import { repoRoot } from './playwright-cli.ts';

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

test('.github/workflows/monitor.yml passes action-validator and runs the exact critical grep', (t) => {
  const bin = path.join(repoRoot, 'node_modules', '.bin', 'action-validator');
  const text = read('.github/workflows/monitor.yml');
  assert.ok(text.includes('npx playwright test --grep "@critical(?![-\\w])"'));
  assert.match(text, /cron: '\*\/15 \* \* \* \*'/);
  assert.match(text, /workflow_dispatch/);
  assert.match(text, /node-version: 24/);
  assert.match(text, /DATABASE_URL: \$\{\{ secrets\.DATABASE_URL \}\}/);
  assert.match(text, /upload-artifact/);
  // Issue 16: a location matrix, every job on the same database under its own MONITOR_LOCATION.
  assert.match(text, /matrix:\n\s+include:\n\s+- location: [a-z][a-z0-9-]*\n/);
  assert.match(text, /MONITOR_LOCATION: \$\{\{ matrix\.location \}\}/);
  assert.match(text, /name: traces-\$\{\{ matrix\.location \}\}-/, 'one artifact per location');
  assert.match(text, /GITHUB_STEP_SUMMARY/);
  if (!existsSync(bin)) {
    t.skip('@action-validator/cli is not installed');
    return;
  }
  const r = spawnSync(bin, [path.join(repoRoot, '.github/workflows/monitor.yml')], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});

test('PM2, systemd and Docker start the daemon and stop it with SIGINT', () => {
  const pm2 = createRequire(import.meta.url)(path.join(repoRoot, 'ecosystem.config.cjs')) as {
    apps: Record<string, unknown>[];
  };
  const app = pm2.apps[0]!;
  assert.equal(app.name, 'workflow-monitor-daemon');
  assert.equal(app.script, 'bin/workflow-monitor.ts');
  assert.equal(app.args, 'daemon');
  assert.equal(app.node_args, daemonNodeArgs.join(' '), "PM2 starts it with the daemon's Node flags");
  assert.equal(app.kill_signal, 'SIGINT');
  assert.ok(app.max_memory_restart);
  assert.match(String(app.out_file), /^logs\/pm2\//);

  const unit = read('deploy/systemd/workflow-monitor.service');
  for (const line of [
    'Restart=always',
    'NoNewPrivileges=true',
    'ProtectSystem=strict',
    'PrivateTmp=true',
    'KillSignal=SIGINT',
    `ExecStart=/usr/bin/node ${daemonNodeArgs.join(' ')} bin/workflow-monitor.ts daemon`,
  ]) {
    assert.ok(unit.includes(`\n${line}\n`), `systemd unit has ${line}`);
  }

  const docker = read('Dockerfile');
  const pinned = (JSON.parse(read('package.json')) as { dependencies: Record<string, string> }).dependencies[
    '@playwright/test'
  ];
  assert.match(
    docker,
    new RegExp(`^FROM mcr\\.microsoft\\.com/playwright:v${pinned!.replace(/\./g, '\\.')}-noble$`, 'm'),
  );
  assert.match(docker, /CMD \["daemon"\]/);
  assert.ok(
    docker.includes(
      `ENTRYPOINT ["node", ${daemonNodeArgs.map((a) => `"${a}"`).join(', ')}, "bin/workflow-monitor.ts"]`,
    ),
    "Docker starts it with the daemon's Node flags",
  );
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts['monitor:daemon'], `node ${daemonNodeArgs.join(' ')} bin/workflow-monitor.ts daemon`);
  assert.match(docker, /HEALTHCHECK .*\n.*\/healthz/);
});
