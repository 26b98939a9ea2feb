// The soak bench's fault injectors: each starts a fault, holds it, and undoes it. All act on
// things the bench itself started (its own PostgreSQL, demo app, webhook sink, daemon).
import { startDemoApp } from '../../demo-app/app.ts';
import type { OwnPostgres } from '../../test/faults/own-postgres.ts';
import { reply, type HttpSink } from '../../test/sinks/http-sink.ts';

export type FaultKind = 'db-stop' | 'db-hang' | 'webhook-hang' | 'target-down' | 'daemon-kill';
export const faultKinds: readonly FaultKind[] = ['db-stop', 'db-hang', 'webhook-hang', 'target-down', 'daemon-kill'];

export type FaultWindow = { kind: FaultKind; from: Date; to: Date };

export type Rig = {
  pg: OwnPostgres;
  sink: HttpSink;
  /** The demo app's port stays the same across restarts (BASE_URL does not change). */
  demoPort: number;
  demo: { close(): Promise<void> } | null;
  killDaemon(): Promise<void>;
  startDaemon(): Promise<void>;
  log(line: string): void;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startDemo(rig: Rig): Promise<void> {
  rig.demo = await startDemoApp({ port: rig.demoPort, host: '127.0.0.1', faults: '' });
}

/** Runs one fault for `holdMs` and returns the window it covered. */
export async function inject(rig: Rig, kind: FaultKind, holdMs: number): Promise<FaultWindow> {
  const from = new Date();
  rig.log(`fault ${kind}: on for ${Math.round(holdMs / 1000)} s`);
  switch (kind) {
    case 'db-stop':
      await rig.pg.stop();
      await sleep(holdMs);
      await rig.pg.start();
      break;
    case 'db-hang':
      await rig.pg.hang();
      await sleep(holdMs);
      await rig.pg.resume();
      break;
    case 'webhook-hang':
      rig.sink.setFallback(reply.hang());
      await sleep(holdMs);
      rig.sink.setFallback(reply.ok());
      break;
    case 'target-down':
      await rig.demo?.close();
      rig.demo = null;
      await sleep(holdMs);
      await startDemo(rig);
      break;
    case 'daemon-kill':
      await rig.killDaemon();
      await sleep(Math.min(holdMs, 5_000));
      await rig.startDaemon();
      break;
  }
  const to = new Date();
  rig.log(`fault ${kind}: off after ${Math.round((to.getTime() - from.getTime()) / 1000)} s`);
  return { kind, from, to };
}
