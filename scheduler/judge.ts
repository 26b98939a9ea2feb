// After an invocation: did Playwright record anything? Rows mean the run worked and is
// recorded; only an outbox file (the database was down) means it worked but is spooled, not
// recorded, until a replay; nothing at all is a pipeline failure, whatever the exit code said. Pure.
export type InvocationFacts = {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Rows for the run id, or null when the database could not be asked. */
  rows: number | null;
  /** The reporter spooled the run to the outbox. */
  spooled: boolean;
  stderrTail: string;
};

export type Verdict =
  | { kind: 'recorded'; timedOut: boolean }
  | { kind: 'spooled'; timedOut: boolean }
  | { kind: 'pipeline-failure'; reason: 'crash' | 'nothing-recorded' | 'timeout'; message: string };

export function judgeInvocation(f: InvocationFacts): Verdict {
  if ((f.rows ?? 0) > 0) return { kind: 'recorded', timedOut: f.timedOut };
  if (f.spooled) return { kind: 'spooled', timedOut: f.timedOut };
  const lastLine = f.stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-3)
    .join(' | ');
  if (f.timedOut)
    return {
      kind: 'pipeline-failure',
      reason: 'timeout',
      message: `stopped at the hard timeout with nothing recorded${lastLine ? `: ${lastLine}` : ''}`,
    };
  if (f.code !== 0 && f.code !== 1) {
    return {
      kind: 'pipeline-failure',
      reason: 'crash',
      message: `playwright exited with ${f.code ?? f.signal} and recorded nothing${lastLine ? `: ${lastLine}` : ''}`,
    };
  }
  return {
    kind: 'pipeline-failure',
    reason: 'nothing-recorded',
    message: `playwright exited with ${f.code ?? f.signal} but recorded no execution${lastLine ? `: ${lastLine}` : ''}`,
  };
}
