// What the acceptance tests of alerts need at once, for every test of a file: a scratch copy, a
// fresh database, a sink (HTTP or SMTP), and the demo app with the file's fault switches; all
// made before the file's first test and ended after its last.
import { after, before } from 'node:test';
import { startDemoApp } from '../../../demo-app/app.ts';
import { freshDatabase, type FreshDatabase } from '../../helpers/db.ts';
import type { Demo } from '../../helpers/demo.ts';
import { scratchCopy, type Scratch } from './scratch.ts';

export type ScratchSet<S> = { s: Scratch; db: FreshDatabase; sink: S; demo: Demo };

export function scratchSetForFile<S extends { close(): Promise<unknown> }>(
  faults: string,
  startSink: () => Promise<S>,
): ScratchSet<S> {
  const set = {} as ScratchSet<S>;
  before(async () => {
    const [s, db, sink, demo] = await Promise.all([
      scratchCopy(),
      freshDatabase(),
      startSink(),
      startDemoApp({ port: 0, host: '127.0.0.1', faults }),
    ]);
    Object.assign(set, { s, db, sink, demo });
  });
  after(async () => {
    await Promise.all([set.s?.cleanup(), set.db?.drop(), set.sink?.close(), set.demo?.close()]);
  });
  return set;
}
