// Per-workflow schedule overrides come from the environment as MONITOR_SCHEDULE_<WORKFLOW_ID>
// (id upper-cased, dashes to underscores), so an operator can change a cadence without
// touching the spec that the rest of the team reads.
export const overridePrefix = 'MONITOR_SCHEDULE_';

export function overrideVariable(workflowId: string): string {
  return `${overridePrefix}${workflowId.toUpperCase().replace(/-/g, '_')}`;
}

/** Every MONITOR_SCHEDULE_* variable with a non-empty value, by variable name. */
export function scheduleOverrides(env: NodeJS.ProcessEnv): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(overridePrefix) && value !== undefined && value.trim() !== '') out.set(name, value.trim());
  }
  return out;
}
