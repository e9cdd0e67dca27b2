-- 0001: the task table. Never edit a shipped migration: add the next number instead.

CREATE TABLE taskhub.task (
  id               bigserial PRIMARY KEY,
  type             text        NOT NULL,
  title            text,
  state            text        NOT NULL CHECK (state IN ('WAITING','SUSPENDED','READY','RUNNING','DONE','ERROR','CANCELLED')),
  priority         smallint    NOT NULL CHECK (priority BETWEEN 0 AND 3),  -- 0 Immediately .. 3 Unimportant
  data             json        NOT NULL,                                   -- json, not jsonb: passed on unchanged
  run_at           timestamptz NOT NULL DEFAULT now(),
  attempts         integer     NOT NULL DEFAULT 0,
  max_attempts     integer     NOT NULL DEFAULT 1,
  timeout_seconds  integer,
  depends_on       bigint[]    NOT NULL DEFAULT '{}',
  run_if           text        NOT NULL DEFAULT 'success' CHECK (run_if IN ('success','always')),
  key              text,
  progress         double precision,
  progress_message text,
  progress_details jsonb,
  result_code      integer,
  result_data      text,
  error            jsonb,
  log              text        NOT NULL DEFAULT '',
  agent            text,
  node             text,
  lease_token      uuid,
  lease_expires_at timestamptz,
  tag              text,
  app              text,
  finalize_url     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz
);

-- The claim probes this index once per type an agent can run and stops at the first unlocked row: only
-- READY rows are in it, so neither finished tasks nor a backlog of other types cost the claim anything.
CREATE INDEX task_claim ON taskhub.task (type, priority, run_at, id) WHERE state = 'READY';
-- Announcing delayed tasks and retries whose time has come.
CREATE INDEX task_due ON taskhub.task (run_at) WHERE state = 'READY';
-- Lease expiry and node loss look only at RUNNING rows.
CREATE INDEX task_running ON taskhub.task (lease_expires_at) WHERE state = 'RUNNING';
-- Finding the dependents of a task that ended.
CREATE INDEX task_waiting ON taskhub.task USING gin (depends_on) WHERE state = 'WAITING';
-- At most one live task per deduplication key.
CREATE UNIQUE INDEX task_live_key ON taskhub.task (key) WHERE key IS NOT NULL AND state IN ('WAITING','SUSPENDED','READY','RUNNING');
-- Listing by state / type / tag, newest first.
CREATE INDEX task_state_id ON taskhub.task (state, id);
CREATE INDEX task_type_id ON taskhub.task (type, id);
