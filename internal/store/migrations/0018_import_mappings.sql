-- Saved column mappings for generic CSV/XLSX observation imports
-- (internal/obsimport): which column of a file holds the series, the area,
-- the period, the value and each disaggregation, saved under a name so that
-- the next file of the same shape is imported without mapping it again.
CREATE TABLE import_mappings (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    mapping     TEXT NOT NULL,       -- JSON
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
