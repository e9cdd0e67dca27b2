-- 0010: a task holds a lease token exactly while it is RUNNING, and the database says so.
--
-- Every statement that makes a task RUNNING sets a fresh token, and every one that moves it on clears it. The
-- completion now finds its rows by primary key and lease token alone (store/CompleteAttempt): its "state = 'RUNNING'"
-- let the planner read the RUNNING range of a partial index instead, and that range keeps an entry of every task that
-- ever ran until VACUUM removes it (a plain index scan steps over them, a bitmap scan visits their rows), so each
-- completion cost more the more tasks had run since the last VACUUM. This constraint keeps the token a guard of the
-- state: a token matches only a RUNNING task.

-- Rows written by an older hub, should any disagree: a token left on an ended task is gone; a RUNNING task without
-- one gets one that nobody holds, so its lease expires and it runs again as any lost task does.
UPDATE taskhub.task SET lease_token = NULL WHERE state <> 'RUNNING' AND lease_token IS NOT NULL;
UPDATE taskhub.task SET lease_token = gen_random_uuid() WHERE state = 'RUNNING' AND lease_token IS NULL;
ALTER TABLE taskhub.task ADD CONSTRAINT task_lease_token_while_running
  CHECK ((state = 'RUNNING') = (lease_token IS NOT NULL)) NOT VALID;
ALTER TABLE taskhub.task VALIDATE CONSTRAINT task_lease_token_while_running;
