// How a standalone script (`npm run reports`, `npm run notify:test`) ends: an error becomes one
// line and exit code 1, and kept-alive webhook connections are closed so that they do not hold
// the process open for seconds after the output.
import { getGlobalDispatcher } from 'undici';

export async function runScriptMain(label: string, main: () => Promise<number>): Promise<void> {
  const code = await main().catch((error: unknown) => {
    process.stderr.write(`${label}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
  await getGlobalDispatcher()
    .close()
    .catch(() => undefined);
  process.exitCode = code;
}
