-- Up Migration

-- Issue 18 part 4, capacity you can see. Each daemon says every capacity check that it is alive
-- and what it can run (its runner's workers times its concurrent invocations), so the daemons
-- sharing the queue add up their capacity; a row not seen for a while is a daemon gone.
CREATE TABLE scheduler_daemons (
  host        text NOT NULL,
  pid         integer NOT NULL,
  started_at  timestamptz NOT NULL,
  seen_at     timestamptz NOT NULL DEFAULT now(),
  workers     integer NOT NULL,
  concurrency integer NOT NULL,
  PRIMARY KEY (host, pid, started_at)
);
CREATE INDEX scheduler_daemons_seen_at ON scheduler_daemons (seen_at);

-- One row: whether the schedules cannot be met now (an episode) and since when. A daemon that
-- flips it (a conditional UPDATE) is the one that sends the warning, or its clearing.
CREATE TABLE scheduler_capacity_state (
  id         smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  over       boolean NOT NULL DEFAULT false,
  since      timestamptz NOT NULL DEFAULT now(),
  ratio      double precision
);
INSERT INTO scheduler_capacity_state (id) VALUES (1);

-- Down Migration
DROP TABLE IF EXISTS scheduler_capacity_state;
DROP TABLE IF EXISTS scheduler_daemons;
