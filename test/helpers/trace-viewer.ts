// `npx playwright show-trace --host --port` serving a failed attempt's trace: its page and the
// trace file itself, fetched the way a browser opening the alert's link would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './net.ts';
import { repoRoot } from './playwright-run.ts';

export async function assertTraceViewerServes(tracePath: string): Promise<void> {
  const port = await freePort();
  const viewer = spawn(
    process.execPath,
    [
      join(repoRoot, 'node_modules/@playwright/test/cli.js'),
      'show-trace',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      tracePath,
    ],
    { stdio: 'ignore', detached: true },
  );
  try {
    // The viewer redirects / to a per-session path; the trace file is served beside its page.
    let viewerUrl = '';
    for (let i = 0; i < 100 && !viewerUrl; i++) {
      viewerUrl = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' }).then(
        (r) => r.headers.get('location') ?? '',
        () => '',
      );
      if (!viewerUrl) await new Promise((r) => setTimeout(r, 200));
    }
    const page = await fetch(new URL(viewerUrl, `http://127.0.0.1:${port}/`)).then((r) => r.text());
    assert.match(page, /<html/i, 'the trace viewer serves its page');
    const file = await fetch(
      new URL(`file?path=${encodeURIComponent(tracePath)}`, new URL(viewerUrl, `http://127.0.0.1:${port}/`)),
    );
    assert.equal(file.status, 200, 'the trace viewer serves the trace file');
    assert.equal((await file.arrayBuffer()).byteLength, statSync(tracePath).size);
  } finally {
    try {
      process.kill(-viewer.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
