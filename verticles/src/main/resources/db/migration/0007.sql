-- 0007: a finalization for every ending, carrying the task as it ended; and none where nothing finalizes.
--
-- A retried task ends again, but the row was keyed by (task, attempts) and a retry resets attempts: the second ending
-- met the first's row and was never finalized. Rows now have an id of their own, one per ending.
--
-- The row keeps the task as it ended (its row as JSON, its data apart: json keeps an escaped NUL that
-- json_populate_record would refuse), so a finalization run after a retry or a deletion sees that ending.
--
-- A task that ended by its own run (RUNNING -> DONE or ERROR) gets a row only if something must be done for it after a
-- crash: a finalizeUrl to call, or a Java finalizer for its type on some hub (each hub lists its types in
-- finalizer_type when it starts). The hub that records such an ending publishes it on taskhub.tasks.finished itself.
-- Before, every task wrote, claimed and marked a row that nothing but that publish needed: three of the six row
-- writes of a task (taskhub bench, "row writes per task"). Cancellations and other endings keep their rows.

ALTER TABLE taskhub.finalization DROP CONSTRAINT finalization_pkey;
ALTER TABLE taskhub.finalization ADD COLUMN id bigserial PRIMARY KEY;
-- A task's rows, for its deletion (the trigger below) and for reading a task's finalizations.
CREATE INDEX finalization_task ON taskhub.finalization (task_id);

CREATE TABLE taskhub.finalizer_type (
  type text PRIMARY KEY  -- a task type a Java finalizer of some hub wants; '*': every type
);

CREATE OR REPLACE FUNCTION taskhub.task_finished() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r taskhub.task;
BEGIN
  IF OLD.state = 'RUNNING' AND NEW.state IN ('DONE', 'ERROR') AND NEW.finalize_url IS NULL
     AND NOT EXISTS (SELECT 1 FROM taskhub.finalizer_type f WHERE f.type = NEW.type OR f.type = '*') THEN
    RETURN NULL;
  END IF;
  r := NEW;
  r.data := NULL;
  r.log := '';   -- not part of what finalizers see
  INSERT INTO taskhub.finalization (task_id, attempt, task_row, task_data)
    VALUES (NEW.id, NEW.attempts, row_to_json(r), NEW.data);
  RETURN NULL;
END
$$;

-- Rows carry their task now: a deleted task leaves its pending finalizations as they are (rows made before this
-- migration get the copy here, as in 0006), and takes its finished ones with it.
CREATE OR REPLACE FUNCTION taskhub.task_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r taskhub.task;
  d json;
BEGIN
  FOR r IN SELECT * FROM gone WHERE id IN (SELECT task_id FROM taskhub.finalization
                                           WHERE state = 'PENDING' AND task_row IS NULL) LOOP
    d := r.data;
    r.data := NULL;
    r.log := '';
    UPDATE taskhub.finalization SET task_row = row_to_json(r), task_data = d
      WHERE task_id = r.id AND state = 'PENDING' AND task_row IS NULL;
  END LOOP;
  DELETE FROM taskhub.finalization f USING gone WHERE f.task_id = gone.id AND f.state <> 'PENDING';
  RETURN NULL;
END
$$;
