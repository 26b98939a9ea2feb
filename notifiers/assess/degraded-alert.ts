// A DEGRADED event as an Alert, for whoever delivers it: the alert policy (routing, throttling,
// maintenance windows) or, until it takes these events, a notifier directly. The dedupe key is
// stable per episode, so a policy that records alerts once per key sends each event once.
import type { Alert, AlertWorkflow } from '../alert.ts';
import { formatDuration } from '../format.ts';
import type { DegradationEvent } from './degradation.ts';

/** "<workflow>/degraded/<episode>" and "<workflow>/recovered-from-degraded/<episode>". */
export function degradationDedupeKey(e: DegradationEvent): string {
  return `${e.workflowId}/${e.type}/${e.episode}`;
}

export function degradationAlert(e: DegradationEvent, workflow: AlertWorkflow): Alert {
  const why = e.reasons.map((r) => (r === 'budget' ? 'over its time budget' : 'slower than usual')).join(' and ');
  if (e.type === 'degraded') {
    return {
      kind: 'degraded',
      title: `Workflow Degraded: ${workflow.name}`,
      priority: workflow.priority,
      message: `${workflow.name} still passes but is ${why}: ${e.summary}`,
      workflow,
      status: 'degraded',
      runId: e.runId,
      at: e.at,
      context: { reasons: e.reasons.join(', '), episode: e.episode },
    };
  }
  return {
    kind: 'recovery',
    title: `Workflow Recovered: ${workflow.name}`,
    priority: workflow.priority,
    message: `${workflow.name} is no longer ${why} (degraded for ${formatDuration(e.at.getTime() - e.since.getTime())}): ${e.summary}.`,
    workflow,
    status: 'recovered',
    runId: e.runId,
    at: e.at,
    context: { reasons: e.reasons.join(', '), episode: e.episode },
  };
}
