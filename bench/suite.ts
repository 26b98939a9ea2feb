// The daemon benches' suite: one trivial spec per workflow id, low priority, every 5 minutes (the
// benches override the schedules), finishing at once: the daemon's own cost is what is measured.
import { specDir, trivialSpec } from '../test/helpers/daemon-harness.ts';

export function idleSuite(ids: readonly string[]): ReturnType<typeof specDir> {
  return specDir(
    Object.fromEntries(
      ids.map((id) => [`${id}.spec.ts`, trivialSpec({ id, priority: 'low', schedule: '*/5 * * * *', sleepMs: 0 })]),
    ),
  );
}
