-- Up Migration

-- Passing attempts that overran a declared time budget: recorded DEGRADED. A row per attempt,
-- keyed like the attempt itself so assessing a replayed attempt twice records it once. Not
-- partitioned: only overruns land here, a small fraction of attempts.
CREATE TABLE execution_budget_overruns (
  run_id       text NOT NULL,
  test_id      text NOT NULL,
  retry        integer NOT NULL,
  started_at   timestamptz NOT NULL,
  workflow_id  text NOT NULL,
  duration_ms  integer NOT NULL,
  -- [{ scope: 'total' | 'step', title, budgetMs, actualMs }]
  overruns     jsonb NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, test_id, retry, started_at)
);
-- Reports count a period's overruns per workflow.
CREATE INDEX execution_budget_overruns_started_idx ON execution_budget_overruns (started_at) INCLUDE (workflow_id);

-- Performance-degradation bookkeeping per workflow (budgets and slow-down), kept apart from
-- workflow_states, which the alert policy owns: this row only decides when a workflow enters or
-- leaves DEGRADED, once per episode, and the policy turns those events into state and alerts.
CREATE TABLE workflow_performance_states (
  workflow_id        text PRIMARY KEY,
  degraded           boolean NOT NULL DEFAULT false,
  degraded_since     timestamptz,
  -- Which detectors hold the workflow DEGRADED: 'budget', 'slowdown'.
  reasons            text[] NOT NULL DEFAULT '{}',
  -- Episode number: the degraded event and its recovery share it (deduplication key).
  episode            integer NOT NULL DEFAULT 0,
  -- While slow, the baseline it is compared with stays the one from before the slow-down;
  -- otherwise a lasting slow-down would become the new normal and "recover" by itself.
  frozen_baseline    jsonb,
  last_execution_at  timestamptz,
  details            jsonb NOT NULL DEFAULT '{}',
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE IF EXISTS workflow_performance_states;
DROP TABLE IF EXISTS execution_budget_overruns;
