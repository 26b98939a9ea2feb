-- Up Migration

-- The public status page's incidents: one row per DOWN episode of a workflow, kept 90+ days
-- (alert_state_changes, their source, is pruned after 7). A trigger on alert_state_changes fills
-- it, so the alert policy's own code needs no change: a change to 'down' opens an episode with
-- the workflow's last error (private: the page shows only its cause in words), a change away
-- from 'down' closes the open one. Opening one also drops those that ended over 400 days ago
-- (the page shows 90), so the table stays small without a retention job of its own.
CREATE TABLE status_incidents (
  id           bigserial PRIMARY KEY,
  workflow_id  text NOT NULL,
  started_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  last_error   text
);
CREATE INDEX status_incidents_started_idx ON status_incidents (started_at DESC);
CREATE INDEX status_incidents_open_idx ON status_incidents (workflow_id) WHERE ended_at IS NULL;

CREATE FUNCTION status_incidents_track() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.to_state = 'down' AND NEW.from_state <> 'down' THEN
    INSERT INTO status_incidents (workflow_id, started_at, last_error)
      SELECT NEW.workflow_id, NEW.at, (SELECT last_error FROM workflow_states WHERE workflow_id = NEW.workflow_id)
      WHERE NOT EXISTS (SELECT 1 FROM status_incidents WHERE workflow_id = NEW.workflow_id AND ended_at IS NULL);
    DELETE FROM status_incidents WHERE ended_at < NEW.at - interval '400 days';
  ELSIF NEW.from_state = 'down' AND NEW.to_state <> 'down' THEN
    UPDATE status_incidents SET ended_at = NEW.at WHERE workflow_id = NEW.workflow_id AND ended_at IS NULL;
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER status_incidents_track AFTER INSERT ON alert_state_changes
  FOR EACH ROW EXECUTE FUNCTION status_incidents_track();

-- Down Migration
DROP TRIGGER IF EXISTS status_incidents_track ON alert_state_changes;
DROP FUNCTION IF EXISTS status_incidents_track();
DROP TABLE IF EXISTS status_incidents;
