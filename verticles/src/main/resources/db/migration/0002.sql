-- 0002: finalization. One row per finished task (and attempt: a task retried by hand and ending again is finalized
-- again), written by a trigger in the same transaction as the state change, whichever statement made it: the
-- agent's completion, a cancellation, a dependency that failed. A hub claims due rows with SKIP LOCKED and a lease,
-- runs the finalizers, and marks the row DONE guarded by its lease token; a hub that dies mid-way loses the lease
-- and another one runs the row again (at-least-once), skipping the steps already recorded.

CREATE TABLE taskhub.finalization (
  task_id          bigint      NOT NULL REFERENCES taskhub.task (id) ON DELETE CASCADE,
  attempt          integer     NOT NULL,
  state            text        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING','DONE','FAILED')),
  tries            integer     NOT NULL DEFAULT 0,
  run_at           timestamptz NOT NULL DEFAULT now(),
  lease_token      uuid,
  lease_expires_at timestamptz,
  steps_done       text[]      NOT NULL DEFAULT '{}',   -- 'java', 'event': a retry does not repeat them
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  PRIMARY KEY (task_id, attempt)
);

-- The claim looks only at PENDING rows.
CREATE INDEX finalization_due ON taskhub.finalization (run_at) WHERE state = 'PENDING';

CREATE FUNCTION taskhub.task_finished() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO taskhub.finalization (task_id, attempt) VALUES (NEW.id, NEW.attempts) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER task_finished AFTER UPDATE OF state ON taskhub.task
  FOR EACH ROW WHEN (NEW.state IN ('DONE', 'ERROR', 'CANCELLED') AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION taskhub.task_finished();
