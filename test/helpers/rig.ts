// A test's set-up in one call: a database, a state folder, an HTTP sink and (for the daemon's end
// to end tests) a suite of trivial specs and daemons on them, each released when the test ends,
// the last acquired first, whatever happened.
import { chmod } from 'node:fs/promises';
import type { TestContext } from 'node:test';
import type { DatabasePool } from '../../db/pool.ts';
import { startHttpSink, type HttpSink, type HttpSinkOptions } from '../sinks/http-sink.ts';
import { freshDatabase, type FreshDatabase } from './db.ts';
import { daemonTestEnv, specDir, startDaemonProcess, tempDir, type DaemonProcess } from './daemon-harness.ts';

type Release = () => unknown;

/** `own(thing, release)` hands `thing` back and releases it when the test ends, last owned first. */
export function cleanups(t: TestContext): <T>(thing: T, release: (thing: T) => unknown) => T {
  const releases: Release[] = [];
  t.after(async () => {
    for (const release of releases.reverse()) await release();
  });
  return (thing, release) => {
    releases.push(() => release(thing));
    return thing;
  };
}

/** A database a test may use: test/helpers/db.ts's fresh one, or one it runs itself (drop = destroy). */
export type RigDatabase = { url: string; pool: DatabasePool } & (
  { drop(): Promise<void> } | { destroy(): Promise<void> }
);

export type RigOptions = {
  /** How to get the database; `freshDatabase()` by default. */
  database?: () => Promise<RigDatabase>;
  /** A state folder (MONITOR_STATE_DIR) with this name prefix; `open` makes it 0755 (runs as another user read it). */
  state?: string;
  open?: boolean;
  /** An HTTP sink for the channels. */
  sink?: HttpSinkOptions;
};

type DatabaseOf<O> = O extends { database: () => Promise<infer D> } ? D : FreshDatabase;

export type Rig<O extends RigOptions> = {
  db: DatabaseOf<O>;
  /** The state folder ('' without `state`). */
  state: { dir: string };
  sink: O['sink'] extends HttpSinkOptions ? HttpSink : undefined;
  own: ReturnType<typeof cleanups>;
};

export async function testRig<O extends RigOptions>(t: TestContext, o: O): Promise<Rig<O>> {
  const own = cleanups(t);
  const db = own(await (o.database ?? freshDatabase)(), (d) => ('drop' in d ? d.drop() : d.destroy()));
  const sink = o.sink ? own(await startHttpSink(o.sink), (s) => s.close()) : undefined;
  const state = o.state ? own(await tempDir(o.state), (s) => s.remove()) : { dir: '' };
  if (o.open) await chmod(state.dir, 0o755);
  return { db: db as DatabaseOf<O>, state, sink: sink as Rig<O>['sink'], own };
}

type DaemonRigOptions = RigOptions & { specs: Record<string, string>; secondCron?: boolean };

export type DaemonRig<O extends DaemonRigOptions> = Rig<O> & {
  specs: { dir: string };
  /** `daemonTestEnv()` on the rig's database, state folder and specs. */
  env: Record<string, string>;
  /** A daemon on `env` and `extra`, destroyed when the test ends. */
  start(extra?: Record<string, string>, options?: Parameters<typeof startDaemonProcess>[1]): Promise<DaemonProcess>;
};

/**
 * `testRig()` (its state folder 'wm-sched-state-' unless named) with a suite of `specs` (file
 * name: text) and daemons on them; `secondCron` allows 6-field schedules.
 */
export async function daemonRig<O extends DaemonRigOptions>(t: TestContext, o: O): Promise<DaemonRig<O>> {
  const rig = await testRig(t, { ...o, state: o.state ?? 'wm-sched-state-' });
  const specs = rig.own(await specDir(o.specs), (s) => s.remove());
  const env = daemonTestEnv(
    { databaseUrl: rig.db.url, stateDir: rig.state.dir, workflowsDir: specs.dir },
    { secondCron: o.secondCron },
  );
  const start: DaemonRig<O>['start'] = async (extra = {}, options) =>
    rig.own(await startDaemonProcess({ ...env, ...extra }, options), (d) => d.destroy());
  return { ...(rig as Rig<O>), specs, env, start };
}
