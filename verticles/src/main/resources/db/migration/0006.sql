-- 0006: a finalization outlives its task. The finalization row referenced its task ON DELETE CASCADE, so deleting a
-- finished task (by hand, or a live one, which is cancelled first) while its finalizeUrl call was still backing off
-- lost the call. Now the reference is dropped and a deleted task leaves a copy of its row in its pending
-- finalizations, which run from that copy (FinalizationStore.claim) and are removed once done. Finalizations already done or given up go with their task, as before.

DO $$
DECLARE
  fk text;
BEGIN
  FOR fk IN SELECT conname FROM pg_constraint
            WHERE conrelid = 'taskhub.finalization'::regclass AND contype = 'f' LOOP
    EXECUTE format('ALTER TABLE taskhub.finalization DROP CONSTRAINT %I', fk);
  END LOOP;
END
$$;

-- The task as it was when deleted, NULL while it exists: its row as JSON, and its data apart, since json keeps an
-- escaped NUL (\u0000) in the data verbatim but json_populate_record, reading the row back, would refuse it.
ALTER TABLE taskhub.finalization ADD COLUMN task_row json, ADD COLUMN task_data json;

CREATE FUNCTION taskhub.task_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r taskhub.task;
  d json;
BEGIN
  FOR r IN SELECT * FROM gone WHERE id IN (SELECT task_id FROM taskhub.finalization WHERE state = 'PENDING') LOOP
    d := r.data;
    r.data := NULL;
    r.log := '';   -- not part of what finalizers see
    UPDATE taskhub.finalization SET task_row = row_to_json(r), task_data = d WHERE task_id = r.id AND state = 'PENDING';
  END LOOP;
  DELETE FROM taskhub.finalization f USING gone WHERE f.task_id = gone.id AND f.state <> 'PENDING';
  RETURN NULL;
END
$$;

-- Once per DELETE statement, however many tasks it removed (a retention sweep deletes many at once).
CREATE TRIGGER task_deleted AFTER DELETE ON taskhub.task REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION taskhub.task_deleted();
