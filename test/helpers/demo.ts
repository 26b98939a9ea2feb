// The demo app started in-process on a free port, with the given fault switches (and face).
import { startDemoApp } from '../../demo-app/app.ts';
import type { DemoAppOptions } from '../../demo-app/app.ts';

export type Demo = Awaited<ReturnType<typeof startDemoApp>>;

export async function withDemo<T>(
  faults: string,
  fn: (demo: Demo) => Promise<T>,
  options: Pick<DemoAppOptions, 'variant'> = {},
): Promise<T> {
  const demo = await startDemoApp({ port: 0, host: '127.0.0.1', faults, ...options });
  try {
    return await fn(demo);
  } finally {
    await demo.close();
  }
}
