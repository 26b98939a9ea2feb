-- Up Migration

-- Sharded runs (`playwright test --shard=i/n`): each shard is a run of its own (its executions
-- stored once, under it), and the shards of one logical run share run_group (MONITOR_RUN_ID,
-- else the CI run), with their index and count. NULL for runs that are not sharded.
ALTER TABLE monitor_runs
  ADD COLUMN run_group   text,
  ADD COLUMN shard_index integer CHECK (shard_index >= 1),
  ADD COLUMN shard_total integer CHECK (shard_total >= 1),
  ADD CONSTRAINT monitor_runs_shard_check CHECK ((shard_index IS NULL) = (shard_total IS NULL) AND shard_index <= shard_total);
CREATE INDEX monitor_runs_run_group_idx ON monitor_runs (run_group) WHERE run_group IS NOT NULL;

-- Down Migration

ALTER TABLE monitor_runs DROP COLUMN run_group, DROP COLUMN shard_index, DROP COLUMN shard_total;
