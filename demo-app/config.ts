// The demo app's only reader of its environment (handed in by server.ts from config/env.ts): every problem is reported at once, each
// naming its variable, so a broken start-up is fixed in one round.
import { parseFaults } from './faults.ts';
import type { Fault } from './faults.ts';
import { parseVariant } from './variant.ts';
import type { Variant } from './variant.ts';

export interface DemoConfig {
  host: string;
  /** 0 asks the OS for a free port. */
  port: number;
  faults: Fault[];
  adminToken: string;
  log: boolean;
  variant: Variant;
}

export type DemoConfigResult = { ok: true; config: DemoConfig } | { ok: false; problems: string[] };

export const defaultAdminToken = 'demo-admin-token';

export function readDemoConfig(env: NodeJS.ProcessEnv): DemoConfigResult {
  const problems: string[] = [];

  const host = env.DEMO_HOST?.trim() || '127.0.0.1';

  let port = 3100;
  const rawPort = env.DEMO_PORT?.trim();
  if (rawPort !== undefined && rawPort !== '') {
    const parsed = /^\d+$/.test(rawPort) ? Number(rawPort) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed > 65535) {
      problems.push(`DEMO_PORT must be a port number from 0 to 65535 (0 picks a free port), got "${rawPort}"`);
    } else {
      port = parsed;
    }
  }

  let faults: Fault[] = [];
  const parsedFaults = parseFaults(env.DEMO_FAULTS ?? '');
  if (parsedFaults.ok) faults = parsedFaults.faults;
  else problems.push(...parsedFaults.problems.map((p) => `DEMO_FAULTS: ${p}`));

  let adminToken = defaultAdminToken;
  if (env.DEMO_ADMIN_TOKEN !== undefined) {
    if (env.DEMO_ADMIN_TOKEN.trim() === '')
      problems.push('DEMO_ADMIN_TOKEN is set but empty; unset it or give it a value');
    else adminToken = env.DEMO_ADMIN_TOKEN.trim();
  }

  let log = false;
  const rawLog = env.DEMO_LOG?.trim().toLowerCase();
  if (rawLog === '1' || rawLog === 'true') log = true;
  else if (rawLog !== undefined && rawLog !== '' && rawLog !== '0' && rawLog !== 'false') {
    problems.push(`DEMO_LOG must be 1 or 0, got "${env.DEMO_LOG}"`);
  }

  let variant: Variant = 'standard';
  const parsedVariant = parseVariant(env.DEMO_VARIANT ?? '');
  if (typeof parsedVariant === 'string') variant = parsedVariant;
  else problems.push(`DEMO_VARIANT: ${parsedVariant.problem}`);

  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, config: { host, port, faults, adminToken, log, variant } };
}
