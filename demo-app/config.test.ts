import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readDemoConfig } from './config.ts';

const serverPath = join(import.meta.dirname, 'server.ts');

function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverPath], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Once it is listening, ask it to stop the way a terminal or a supervisor would.
      if (stdout.includes('listening')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('readDemoConfig', () => {
  it('has defaults', () => {
    assert.deepEqual(readDemoConfig({}), {
      ok: true,
      config: {
        host: '127.0.0.1',
        port: 3100,
        faults: [],
        adminToken: 'demo-admin-token',
        log: false,
        variant: 'standard',
      },
    });
  });

  it('reads DEMO_VARIANT', () => {
    const result = readDemoConfig({ DEMO_VARIANT: ' Alternate ' });
    assert.ok(result.ok);
    assert.equal(result.config.variant, 'alternate');
  });

  it('reports every problem, each naming its variable', () => {
    const bad = {
      DEMO_PORT: '70000',
      DEMO_FAULTS: 'nope',
      DEMO_ADMIN_TOKEN: ' ',
      DEMO_LOG: 'loud',
      DEMO_VARIANT: 'fancy',
    };
    const result = readDemoConfig(bad);
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 5);
    // One problem per variable, in the order they are listed here.
    for (const [i, name] of Object.keys(bad).entries()) {
      assert.match(result.problems[i] ?? '', new RegExp(name));
    }
  });
});

describe('server.ts', () => {
  it('prints exactly one line when listening and stops cleanly on SIGTERM', async () => {
    const { code, stdout, stderr } = await runServer({ DEMO_PORT: '0' });
    assert.match(stdout, /^demo-app listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('exits 2 with one line per problem on bad configuration', async () => {
    const { code, stdout, stderr } = await runServer({ DEMO_PORT: 'x', DEMO_FAULTS: 'flaky:0,bogus' });
    assert.equal(code, 2);
    assert.equal(stdout, '');
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', /^DEMO_PORT/);
    assert.match(lines[1] ?? '', /^DEMO_FAULTS: fault "flaky"/);
    assert.match(lines[2] ?? '', /^DEMO_FAULTS: unknown fault "bogus"/);
  });
});
