-- 0005: poison tasks. A task released because its node was lost (lease expiry, the node leaving the cluster) did not
-- count against it, so a task that takes its node down (memory, the kernel's OOM killer) ran again forever. These
-- releases are counted here; after task.maxLostAttempts the release ends the task ERROR (NodeLost) instead. An
-- agent's own release (it is stopping) does not count, and an operator's retry starts the count again.

ALTER TABLE taskhub.task ADD COLUMN lost_attempts integer NOT NULL DEFAULT 0;
