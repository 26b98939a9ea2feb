// The alert policy's state machine written down once as data: every state x event, the guard
// that picks a row (first match wins), the next state and the alert it sends. transitions.ts
// applies it (`evaluate`); notifiers/policy/README.md carries the same table.
import type { AlertStateRow } from '../../core/alerts.ts';

export const policyStates = ['up', 'down', 'flapping', 'flaky'] as const;
export type PolicyStateName = (typeof policyStates)[number];
export const policyEvents = ['passed', 'failed', 'flaky-pass', 'timer', 'maintenance-end'] as const;
export type PolicyEventName = (typeof policyEvents)[number];
export const transitionAlerts = ['failure', 'recovery', 'reminder', 'flaky', 'flapping', 'success', 'partial'] as const;
export type TransitionAlert = (typeof transitionAlerts)[number];
export const guards = [
  'goes-down-flapping',
  'goes-down',
  'partial-first',
  'recovers-flapping',
  'recovers',
  'flaky-first',
  'flaky-again',
  'flaky-cleared',
  'success-notice',
  'reminder-due',
  'muted-failure',
  'muted-recovery',
  'stable-up',
  'stable-down',
  'otherwise',
] as const;
export type Guard = (typeof guards)[number];

export type Transition = {
  from: PolicyStateName;
  on: PolicyEventName;
  when: Guard;
  to: PolicyStateName;
  alert: TransitionAlert | null;
};

const t = (
  from: PolicyStateName,
  on: PolicyEventName,
  when: Guard,
  to: PolicyStateName,
  alert: TransitionAlert | null = null,
): Transition => ({ from, on, when, to, alert });

/** Copied as a Markdown table into notifiers/policy/README.md; transitions.test.ts checks both agree. */
export const transitionTable: readonly Transition[] = [
  t('up', 'passed', 'success-notice', 'up', 'success'),
  t('up', 'passed', 'otherwise', 'up'),
  t('up', 'flaky-pass', 'flaky-first', 'flaky', 'flaky'),
  t('up', 'flaky-pass', 'flaky-again', 'flaky'),
  t('up', 'flaky-pass', 'otherwise', 'up'),
  t('up', 'failed', 'goes-down-flapping', 'flapping', 'flapping'),
  t('up', 'failed', 'goes-down', 'down', 'failure'),
  t('up', 'failed', 'partial-first', 'up', 'partial'),
  t('up', 'failed', 'otherwise', 'up'),
  t('up', 'timer', 'otherwise', 'up'),
  t('up', 'maintenance-end', 'muted-recovery', 'up', 'recovery'),
  t('up', 'maintenance-end', 'otherwise', 'up'),

  t('flaky', 'passed', 'flaky-cleared', 'up'),
  t('flaky', 'passed', 'otherwise', 'flaky'),
  t('flaky', 'flaky-pass', 'otherwise', 'flaky'),
  t('flaky', 'failed', 'goes-down-flapping', 'flapping', 'flapping'),
  t('flaky', 'failed', 'goes-down', 'down', 'failure'),
  t('flaky', 'failed', 'partial-first', 'flaky', 'partial'),
  t('flaky', 'failed', 'otherwise', 'flaky'),
  t('flaky', 'timer', 'otherwise', 'flaky'),
  t('flaky', 'maintenance-end', 'muted-recovery', 'flaky', 'recovery'),
  t('flaky', 'maintenance-end', 'otherwise', 'flaky'),

  t('down', 'passed', 'recovers-flapping', 'flapping', 'flapping'),
  t('down', 'passed', 'recovers', 'up', 'recovery'),
  t('down', 'passed', 'otherwise', 'down'),
  t('down', 'flaky-pass', 'recovers-flapping', 'flapping', 'flapping'),
  t('down', 'flaky-pass', 'recovers', 'up', 'recovery'),
  t('down', 'flaky-pass', 'otherwise', 'down'),
  t('down', 'failed', 'otherwise', 'down'),
  t('down', 'timer', 'reminder-due', 'down', 'reminder'),
  t('down', 'timer', 'otherwise', 'down'),
  t('down', 'maintenance-end', 'muted-failure', 'down', 'failure'),
  t('down', 'maintenance-end', 'otherwise', 'down'),

  t('flapping', 'passed', 'otherwise', 'flapping'),
  t('flapping', 'flaky-pass', 'otherwise', 'flapping'),
  t('flapping', 'failed', 'otherwise', 'flapping'),
  t('flapping', 'timer', 'stable-up', 'up', 'recovery'),
  t('flapping', 'timer', 'stable-down', 'down', 'failure'),
  t('flapping', 'timer', 'otherwise', 'flapping'),
  t('flapping', 'maintenance-end', 'otherwise', 'flapping'),
];

export function policyStateOf(row: Pick<AlertStateRow, 'state' | 'flappingSince'>): PolicyStateName {
  return row.flappingSince !== null ? 'flapping' : row.state;
}
