-- 0003: a fence per attempt. Every claim takes the next number of this sequence, so a fence grows with every attempt
-- of a task and never repeats (claims commit durably: a number handed out is never handed out again after a crash).
-- The executor sees it as TASKHUB_FENCE, to fence its own writes elsewhere (a storage system refusing an older fence).

CREATE SEQUENCE taskhub.fence;
ALTER TABLE taskhub.task ADD COLUMN fence bigint;  -- the latest attempt's
