-- Leases of the scheduler's jobs (internal/scheduler), so that when several
-- servers share one database only one of them runs a given job in each
-- interval. A row names the job, the server holding it (an opaque id made
-- at start-up, never a person) and the end of the lease in Unix
-- microseconds (UTC); a lease past its end is free for any server to take.
CREATE TABLE scheduler_leases (
    job     TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    until   BIGINT NOT NULL
);
