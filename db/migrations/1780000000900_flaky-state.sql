-- Up Migration

-- One meaning of "degraded": performing worse than usual (slow, or over a time budget), which is
-- workflow_performance_states' `degraded` and the "Workflow Degraded" alert. The alert policy's
-- state for a workflow whose flake rate is over its threshold is `flaky`, here as in the code.
-- Rewrites the stored rows and the UP/DOWN change log (a change from the flaky state to down
-- named it too); the status_incidents trigger compares with 'down' only and needs no change.
ALTER TABLE workflow_states DROP CONSTRAINT IF EXISTS workflow_states_state_check;
UPDATE workflow_states SET state = 'flaky' WHERE state = 'degraded';
ALTER TABLE workflow_states ADD CONSTRAINT workflow_states_state_check CHECK (state IN ('up', 'down', 'flaky'));
UPDATE alert_state_changes SET from_state = 'flaky' WHERE from_state = 'degraded';
UPDATE alert_state_changes SET to_state = 'flaky' WHERE to_state = 'degraded';

-- Down Migration
ALTER TABLE workflow_states DROP CONSTRAINT IF EXISTS workflow_states_state_check;
UPDATE workflow_states SET state = 'degraded' WHERE state = 'flaky';
ALTER TABLE workflow_states ADD CONSTRAINT workflow_states_state_check CHECK (state IN ('up', 'down', 'degraded'));
UPDATE alert_state_changes SET from_state = 'degraded' WHERE from_state = 'flaky';
UPDATE alert_state_changes SET to_state = 'degraded' WHERE to_state = 'flaky';
