// The fault tests' daemons: on a PostgreSQL of their own (stopped, hung and restarted at will)
// and a state folder the runs can read (0755), with the suite of trivial specs each test names.
import type { TestContext } from 'node:test';
import { daemonRig } from '../../helpers/rig.ts';
import { startOwnPostgres } from '../own-postgres.ts';

export function ownPostgresDaemon<O extends Omit<Parameters<typeof daemonRig>[1], 'database' | 'state' | 'open'>>(
  t: TestContext,
  statePrefix: string,
  o: O,
) {
  return daemonRig(t, { ...o, database: startOwnPostgres, state: statePrefix, open: true });
}
