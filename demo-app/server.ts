// Entry point: `node demo-app/server.ts`. Prints exactly one line once it accepts requests,
// so scripts and Playwright's webServer can wait for it; exits 2 on bad configuration.
import { startDemoApp } from './app.ts';
import { readDemoConfig } from './config.ts';
import { processEnv } from '../config/env.ts';

const result = readDemoConfig(processEnv());
if (!result.ok) {
  for (const problem of result.problems) console.error(problem);
  process.exit(2);
}
const { config } = result;

const app = await startDemoApp({
  host: config.host,
  port: config.port,
  faults: config.faults,
  adminToken: config.adminToken,
  log: config.log,
  variant: config.variant,
}).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`demo-app could not listen on ${config.host}:${config.port} (DEMO_HOST/DEMO_PORT): ${message}`);
  process.exit(1);
});

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  // Bounded: app.close() forces connections shut after a moment, and this is the backstop.
  setTimeout(() => process.exit(1), 5_000).unref();
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`demo-app: error while stopping on ${signal}:`, error);
      process.exit(1);
    },
  );
}
// Handlers first: whoever waits for the line below may signal us the moment it appears.
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
console.log(`demo-app listening on ${app.url}`);
