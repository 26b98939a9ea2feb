-- Up Migration

-- Quorum across locations (issue 16): the policy's last word on each workflow's locations. A
-- workflow is "failing from <failing_locations>" when partial_since is set: fewer than the quorum
-- of its active locations fail it, so it is not DOWN (state stays up or flaky). While DOWN,
-- failing_locations are those that have not yet recovered; passing_locations are the other
-- active ones. partial_episode keys the one "failing from" notice per episode (alert_events).
ALTER TABLE workflow_states
  ADD COLUMN failing_locations text[] NOT NULL DEFAULT '{}',
  ADD COLUMN passing_locations text[] NOT NULL DEFAULT '{}',
  ADD COLUMN partial_since timestamptz,
  ADD COLUMN partial_episode integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE workflow_states
  DROP COLUMN IF EXISTS failing_locations,
  DROP COLUMN IF EXISTS passing_locations,
  DROP COLUMN IF EXISTS partial_since,
  DROP COLUMN IF EXISTS partial_episode;
