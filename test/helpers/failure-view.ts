// The dashboard's failure view of one attempt, as a person sees it in Chromium: the dashboard
// routes on a server of their own (no daemon), the page opened at #/execution/<id>/<start>.
import { chromium } from '@playwright/test';
import type { DatabasePool } from 'slonik';
import { addDashboardRoutes } from '../../dashboard/routes.ts';
import { chromiumArgs, resolveChromium } from '../../fixtures/browser.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';

export type FailureView = { cause: string; evidence: string; error: string };

export async function readFailureView(
  pool: DatabasePool,
  artifactsDir: string,
  execution: { id: number; at: Date },
  screenshotPath?: string,
): Promise<FailureView> {
  const server = createHttpServer();
  addDashboardRoutes(server, {
    pool: () => pool,
    schedules: () => [],
    artifactsDir,
    token: null,
    daemon: () => ({ status: 'ok', lastTickAt: new Date().toISOString(), databaseReachable: true, running: 0 }),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const resolved = resolveChromium();
  if (!resolved.found) throw new Error(resolved.problem);
  const browser = await chromium.launch({ executablePath: resolved.path, args: chromiumArgs() });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(
      `http://127.0.0.1:${port}/#/execution/${execution.id}/${encodeURIComponent(execution.at.toISOString())}`,
    );
    await page.locator('#failed-step').waitFor({ timeout: 30_000 });
    const text = async (selector: string) =>
      (await page.locator(selector).count()) ? page.locator(selector).innerText() : '';
    const view = { cause: await text('#cause'), evidence: await text('#evidence'), error: await text('#error') };
    if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
    return view;
  } finally {
    await browser.close();
    await server.close();
  }
}
