-- 0004: recurring schedules, the tasks they make, the app filter and retention.

-- One row per schedule. next_run_at is the next tick to fire (null while paused); the hub that fires a tick locks
-- the row (FOR UPDATE SKIP LOCKED), inserts the tick's task and advances next_run_at in ONE transaction, so a hub
-- that dies mid-way leaves both undone and another hub fires the same tick.
CREATE TABLE taskhub.schedule (
  name        text        PRIMARY KEY,
  cron        text        NOT NULL,
  timezone    text        NOT NULL,
  task        json        NOT NULL,           -- a task spec as POST /api/tasks takes it; json: its data stays unchanged
  paused      boolean     NOT NULL DEFAULT false,
  next_run_at timestamptz,                    -- null while paused
  last_run_at timestamptz,                    -- the tick of the last task this schedule made
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- The firing pass looks only at schedules that are due.
CREATE INDEX schedule_due ON taskhub.schedule (next_run_at) WHERE NOT paused;

ALTER TABLE taskhub.task ADD COLUMN schedule text, ADD COLUMN scheduled_for timestamptz;
-- At most one task per tick of a schedule, whatever the hubs do: the database's guarantee behind the row lock.
CREATE UNIQUE INDEX task_schedule_tick ON taskhub.task (schedule, scheduled_for) WHERE schedule IS NOT NULL;
-- Listing by schedule / app, newest first.
CREATE INDEX task_schedule_id ON taskhub.task (schedule, id) WHERE schedule IS NOT NULL;
CREATE INDEX task_app_id ON taskhub.task (app, id) WHERE app IS NOT NULL;
-- Retention: the oldest finished tasks first, without looking at live ones.
CREATE INDEX task_finished ON taskhub.task (finished_at) WHERE state IN ('DONE','ERROR','CANCELLED');
