// The demo app's environment (DEMO_*; demo-app/server.ts hands it in): every problem is reported
// at once, each naming its variable, so a broken start-up is fixed in one round. DEMO_FAULTS and
// DEMO_VARIANT are read with the demo app's own grammars (demo-app/faults.ts, variant.ts: the
// same names the /__demo/faults endpoint takes), handed in by demo-app/config.ts.

/** The demo app's parsers for its two switches: a value, or what is wrong with the text. */
export type DemoGrammars<Fault, Variant> = {
  faults: (text: string) => { ok: true; faults: Fault[] } | { ok: false; problems: string[] };
  variant: (text: string) => Variant | { problem: string };
};

export interface DemoConfig<Fault, Variant> {
  host: string;
  /** 0 asks the OS for a free port. */
  port: number;
  faults: Fault[];
  adminToken: string;
  log: boolean;
  variant: Variant;
}

export type DemoConfigResult<Fault, Variant> =
  { ok: true; config: DemoConfig<Fault, Variant> } | { ok: false; problems: string[] };

export const defaultAdminToken = 'demo-admin-token';

export function readDemoVars<Fault, Variant extends string>(
  env: NodeJS.ProcessEnv,
  grammars: DemoGrammars<Fault, Variant>,
): DemoConfigResult<Fault, Variant> {
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
  const parsedFaults = grammars.faults(env.DEMO_FAULTS ?? '');
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

  const parsedVariant = grammars.variant(env.DEMO_VARIANT ?? '');
  if (typeof parsedVariant !== 'string') problems.push(`DEMO_VARIANT: ${parsedVariant.problem}`);

  return problems.length > 0 || typeof parsedVariant !== 'string'
    ? { ok: false, problems }
    : { ok: true, config: { host, port, faults, adminToken, log, variant: parsedVariant } };
}
