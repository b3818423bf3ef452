-- Observations (internal/observations): values of a series for an area, a
-- period and a disaggregation, and the approval each (series, area, period)
-- goes through before it may leave the system.
--
-- area: the UN M49 numeric code of a country or region ('076', '419', '001'
-- the world) or an ISO 3166-2 subdivision ('MX-CHP').
-- period: '2020', '2020-S1', '2020-Q3' or '2020-07'.
-- disagg: the disaggregation as 'DIMENSION=CODE' pairs sorted by dimension
-- and joined by ';', with totals ('_T') left out, so that '' is the total and
-- one observation has exactly one spelling.
-- status: the SDMX OBS_STATUS code, 'A' normal (final), 'P' provisional,
-- 'E' estimated.
-- import_id: the batch that wrote the value (observation_imports), which
-- says who wrote it, when and from what; kept once per batch rather than on
-- every row, as an import of millions of values has one answer for all.
--
-- The working table holds what analysts enter and import; the published
-- table is a copy of the sets an approver has published, and is all that
-- open data, scorecards and the explorer read. A change to a published set
-- makes it a draft again without touching its published copy, which stays
-- until the new values are published.
--
-- Both tables are clustered on their key on SQLite (WITHOUT ROWID, which
-- dialect.go drops for PostgreSQL): one B-tree per table instead of a row
-- table and a key index, which halves the work of importing millions of
-- values and keeps each series' values together for the charts.
CREATE TABLE observations (
    series      TEXT NOT NULL,
    area        TEXT NOT NULL,
    disagg      TEXT NOT NULL,
    period      TEXT NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    status      TEXT NOT NULL DEFAULT 'A',
    unit_mult   INTEGER NOT NULL DEFAULT 0,
    source      TEXT NOT NULL DEFAULT '',
    footnote    TEXT NOT NULL DEFAULT '',
    import_id   TEXT NOT NULL,
    PRIMARY KEY (series, area, disagg, period)
) WITHOUT ROWID;

CREATE TABLE published_observations (
    series      TEXT NOT NULL,
    area        TEXT NOT NULL,
    disagg      TEXT NOT NULL,
    period      TEXT NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    status      TEXT NOT NULL DEFAULT 'A',
    unit_mult   INTEGER NOT NULL DEFAULT 0,
    source      TEXT NOT NULL DEFAULT '',
    footnote    TEXT NOT NULL DEFAULT '',
    import_id   TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (series, area, disagg, period)
) WITHOUT ROWID;
-- The latest total of every area for a series (maps), and every series with
-- data for an area (scorecards' data availability).
CREATE INDEX published_observations_map ON published_observations (series, disagg, period, area);
CREATE INDEX published_observations_area ON published_observations (area, series, period);

-- Approval: draft -> submitted -> approved -> published, per series, area and
-- period. Submitting and approving are done by different people.
CREATE TABLE observation_sets (
    series       TEXT NOT NULL,
    area         TEXT NOT NULL,
    period       TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'published')),
    submitted_by TEXT NOT NULL DEFAULT '',
    approved_by  TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',   -- why a set was sent back
    import_id    TEXT NOT NULL DEFAULT '',   -- the batch that last wrote to it
    changed_by   TEXT NOT NULL,
    changed_at   BIGINT NOT NULL,
    PRIMARY KEY (series, area, period)
);
CREATE INDEX observation_sets_state ON observation_sets (state, series, area, period);
CREATE INDEX observation_sets_import ON observation_sets (import_id);

-- Provenance: every write of observations belongs to one import — a file,
-- a form, a live computation or a harvest from another instance — and every
-- withdrawal of values is one too (with no rows), so that whoever last
-- changed a set is known and cannot approve it.
CREATE TABLE observation_imports (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('file', 'form', 'live', 'harvest', 'withdrawal')),
    format      TEXT NOT NULL DEFAULT '',   -- 'sdmx-csv', 'sdg-csv', 'sdmx-json', 'csv', 'xlsx'
    file_name   TEXT NOT NULL DEFAULT '',
    file_sha256 TEXT NOT NULL DEFAULT '',
    origin      TEXT NOT NULL DEFAULT '',   -- for a harvest, the other instance's address
    rows        INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX observation_imports_created ON observation_imports (created_at);

-- The version of each series' published values: a counter every
-- publication of the series raises by one, in the transaction that changes
-- published_observations. Caches of figures computed from published values
-- (the scorecards' regional aggregates, the sum over all series) and
-- open data's ETags (per series) change when it moves. The newest
-- published_at cannot serve: a publication that only removes values (a set
-- whose working values were deleted) leaves no newer time behind.
CREATE TABLE observation_publications (
    series  TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
