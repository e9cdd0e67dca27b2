-- 0008: per-type settings (PUT /api/types/{type}, types.<type>.* in the configuration): limits on a type's RUNNING
-- tasks, and the defaults of its registrations. NULL means unset: no limit, or the built-in default.
--
-- The limits are kept by the claim (store/ClaimWithinLimits): a claim for a limited type locks the type's row here
-- FOR UPDATE, so claimers of one limited type take turns, and counts the type's RUNNING tasks in a statement that
-- begins after the lock is held (it sees every claim committed before). Types without a row, or with a row that
-- limits nothing, are claimed as before, in one statement with no lock (store/ClaimTask). The defaults are read by the
-- registration's own INSERT (store/RegisterTasks), so a registration follows a PUT that was answered before it,
-- whichever hub answered.

CREATE TABLE taskhub.type_setting (
  type                  text        PRIMARY KEY,
  max_running           integer     CHECK (max_running >= 0),            -- RUNNING tasks of the type, cluster-wide; 0 holds them all
  max_running_per_node  integer     CHECK (max_running_per_node >= 0),   -- RUNNING tasks of the type on one node
  max_attempts          integer     CHECK (max_attempts BETWEEN 1 AND 100),
  timeout_seconds       integer     CHECK (timeout_seconds >= 1),
  priority              smallint    CHECK (priority BETWEEN 0 AND 3),    -- rank: 0 Immediately .. 3 Unimportant
  updated_at            timestamptz NOT NULL DEFAULT now()
);
