// The reports' configuration: the variables parsed by config/reports.ts, their threshold
// overrides laid over the rules' defaults (recommendation-model.ts, notifiers/assess/slowdown.ts).
import { loadReportsVars, type ReportsVars } from '../config/reports.ts';
import { defaultSlowdownOptions, type SlowdownOptions } from '../notifiers/assess/slowdown.ts';
import { defaultThresholds, type RecommendationThresholds } from './recommendations.ts';

export type ReportsConfig = Omit<ReportsVars, 'thresholds' | 'slowdown'> & {
  thresholds: RecommendationThresholds;
  slowdown: SlowdownOptions;
};

/** The defaults with what MONITOR_REPORT_RULES and MONITOR_SLOWDOWN change. */
export function reportsConfig(vars: ReportsVars): ReportsConfig {
  const o = vars.thresholds;
  const d = defaultThresholds;
  return {
    ...vars,
    thresholds: {
      failing: { ...d.failing, ...o.failing },
      flaky: { ...d.flaky, ...o.flaky },
      slower: { ...d.slower, ...o.slower },
      dependency: { ...d.dependency, ...o.dependency },
      notifications: { ...d.notifications, ...o.notifications },
      missedRuns: { ...d.missedRuns, ...o.missedRuns },
    },
    slowdown: { ...defaultSlowdownOptions, ...vars.slowdown },
  };
}

/** Throws a ConfigError (one line per variable) on bad values. */
export const loadReportsConfig = (env: NodeJS.ProcessEnv): ReportsConfig => reportsConfig(loadReportsVars(env));
