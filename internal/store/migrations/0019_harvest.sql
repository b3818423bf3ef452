-- Harvest sources (internal/opendata): other Amparo instances whose
-- published open data this instance pulls on a schedule — a regional
-- instance harvesting national ones, a global one harvesting regions —
-- keeping where each observation came from (observation_imports.origin).
CREATE TABLE harvest_sources (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    url           TEXT NOT NULL UNIQUE,   -- the other instance's base address
    series        TEXT NOT NULL DEFAULT '',  -- comma-separated series codes; '' = every series
    areas         TEXT NOT NULL DEFAULT '',  -- comma-separated M49 codes; '' = every area
    interval_hours INTEGER NOT NULL DEFAULT 24,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    last_run_at   BIGINT,
    last_status   TEXT NOT NULL DEFAULT '',
    last_rows     INTEGER NOT NULL DEFAULT 0,
    last_etag     TEXT NOT NULL DEFAULT '',
    -- what the last run found wrong, in a few words ("HTTP 503", "line 12:
    -- area: invalid"), beside last_status's code, for the administration page
    last_detail   TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

-- Open data (internal/opendata) answers each request with an ETag made from
-- the latest publication of the series asked for: the newest published_at
-- of one series is then one step down this index, not a scan of its values.
CREATE INDEX published_observations_published ON published_observations (series, published_at);
