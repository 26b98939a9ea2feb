// The fault tests' daemons: on a PostgreSQL of their own (stopped, hung and restarted at will)
// and a state folder the runs can read (0755), with the suite of trivial specs each test names.
import type { TestContext } from 'node:test';
import { daemonRig } from '../../helpers/rig.ts';
import { startOwnPostgres } from '../own-postgres.ts';

/** `daemonRig()`, its database also as `pg` (what the fault tests call their own PostgreSQL). */
export async function ownPostgresDaemon<O extends Omit<Parameters<typeof daemonRig>[1], 'database' | 'state' | 'open'>>(
  t: TestContext,
  statePrefix: string,
  o: O,
) {
  const rig = await daemonRig(t, { ...o, database: startOwnPostgres, state: statePrefix, open: true });
  return { ...rig, pg: rig.db };
}
