// What a Playwright worker's fixtures read (fixtures/index.ts, fixtures/accounts.ts): the
// platform's test accounts (TARGET.md's, unless set), the domain of synthetic sign-ups, and
// whether evidence is collected (MONITOR_EVIDENCE, runner.ts). Empty counts as unset.
import { z } from 'zod';
import { runnerSchema } from './runner.ts';

const orDefault = (value: string) => z.preprocess((v) => (v === '' ? undefined : v), z.string().default(value));

export const workerSchema = z.object({
  MONITOR_CUSTOMER_EMAIL: orDefault('consumer@example.com'),
  MONITOR_CUSTOMER_PASSWORD: orDefault('Consumer123!'),
  MONITOR_FARMER_EMAIL: orDefault('farmer1@example.com'),
  MONITOR_FARMER_PASSWORD: orDefault('Farmer123!'),
  MONITOR_SYNTHETIC_EMAIL_DOMAIN: orDefault('synthetic-monitor.example.com'),
  MONITOR_EVIDENCE: runnerSchema.shape.MONITOR_EVIDENCE,
});

export type Credentials = { email: string; password: string };
export type Accounts = { customer: Credentials; farmer: Credentials };
export type WorkerConfig = { accounts: Accounts; syntheticEmailDomain: string; evidence: boolean };

let parsed: WorkerConfig | undefined;

/** Parsed once per worker process (the runner checked the same variables before starting it). */
export function workerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  if (env === process.env && parsed) return parsed;
  const c = workerSchema.parse(env);
  const config: WorkerConfig = {
    accounts: {
      customer: { email: c.MONITOR_CUSTOMER_EMAIL, password: c.MONITOR_CUSTOMER_PASSWORD },
      farmer: { email: c.MONITOR_FARMER_EMAIL, password: c.MONITOR_FARMER_PASSWORD },
    },
    syntheticEmailDomain: c.MONITOR_SYNTHETIC_EMAIL_DOMAIN,
    evidence: c.MONITOR_EVIDENCE === 'on',
  };
  if (env === process.env) parsed = config;
  return config;
}
