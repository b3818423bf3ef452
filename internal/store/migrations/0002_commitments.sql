-- Commitments: which state has signed, ratified, acceded or succeeded to
-- which instrument, and when. Countries and instruments are reference data
-- shipped in the binary (internal/countries, internal/commitments/data), so
-- they are codes here, checked by the domain. Dates are ISO 8601 calendar
-- dates as text ('YYYY-MM-DD'), which sort and compare correctly as text on
-- both engines.

-- An import of a file of ratifications: who, when, which file (its
-- SHA-256), and what it changed. Rows point to the import that last wrote
-- them, so every record's provenance is known.
CREATE TABLE ratification_imports (
    id          TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    rows_total  INTEGER NOT NULL,
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE ratifications (
    id           TEXT PRIMARY KEY,
    country      TEXT NOT NULL,
    instrument   TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('signature', 'ratification', 'accession', 'succession')),
    action_date  TEXT NOT NULL,
    source       TEXT NOT NULL,
    as_of        TEXT NOT NULL,
    import_id    TEXT REFERENCES ratification_imports (id),
    updated_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX ratifications_key ON ratifications (country, instrument, action);
CREATE INDEX ratifications_instrument ON ratifications (instrument, action_date);

-- A counter bumped in the transaction of every change to ratifications, so
-- that each server can keep the matrix it computed and know, with one
-- cheap read, whether it is still current, even when several servers
-- share one PostgreSQL database.
CREATE TABLE ratifications_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO ratifications_version (id, version) VALUES (1, 0);
