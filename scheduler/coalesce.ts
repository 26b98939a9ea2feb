// Workflows due in the same minute run in one `playwright test` invocation: one Node process,
// one browser pool and one webServer start instead of one per workflow.
import { exactTagGrep } from '../core/workflow.ts';
import type { DueSlot } from './due-slots.ts';

export type Invocation = {
  /** The minute the slots fell due in (UTC, floored). */
  minute: Date;
  workflowIds: string[];
  /** Exact-tag grep: `@user-login` never matches `@user-login-sso`. */
  grep: string;
  slots: DueSlot[];
};

const minuteOf = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

/** Pure: groups slots by their minute, oldest minute first; each group is one invocation. Linear in the slots (plus sorting the minutes and ids). */
export function coalesce(slots: readonly DueSlot[]): Invocation[] {
  const groups = new Map<number, DueSlot[]>();
  for (const s of slots) {
    const key = minuteOf(s.slot).getTime();
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, group]) => {
      const workflowIds = [...new Set(group.map((s) => s.workflowId))].sort();
      return { minute: new Date(minute), workflowIds, grep: exactTagGrep(workflowIds), slots: group };
    });
}
