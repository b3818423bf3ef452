-- Indicators (internal/indicators): the registry of what is measured, after
-- the OHCHR model of structural, process and outcome indicators, and the
-- series that carry its data. Names, definitions and methods are JSON objects
-- keyed by language.
CREATE TABLE indicators (
    code            TEXT PRIMARY KEY,   -- '10.7.2' for an SDG indicator, 'AP7.P1'-style codes for Amparo's own
    kind            TEXT NOT NULL CHECK (kind IN ('structural', 'process', 'outcome')),
    names           TEXT NOT NULL,
    definitions     TEXT NOT NULL,
    methods         TEXT NOT NULL,
    unit            TEXT NOT NULL,      -- SDMX UNIT_MEASURE code: 'PT' percent, 'NUMBER', 'USD', 'DAYS', 'SCORE'…
    unit_mult       INTEGER NOT NULL DEFAULT 0,  -- power of ten the values are stated in
    polarity        TEXT NOT NULL CHECK (polarity IN ('higher', 'lower', 'neutral')),
    target_value    DOUBLE PRECISION,
    target_year     INTEGER,
    disaggregations TEXT NOT NULL DEFAULT '',    -- allowed dimensions, comma-separated: 'SEX,AGE,MIGRATORY_STATUS'
    custodian       TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    -- How a value comes about. 'entered': observations entered or imported;
    -- 'formula': an expression over other series (internal/expr);
    -- 'live': counted from case data through disclosure control, the
    -- expression naming the count; 'commitments': from ratification records;
    -- 'composite': a scoring method (SDG 10.7.2).
    computation     TEXT NOT NULL CHECK (computation IN ('entered', 'formula', 'live', 'commitments', 'composite')),
    expression      TEXT NOT NULL DEFAULT '',
    -- How regional aggregates are formed from countries' values.
    aggregation     TEXT NOT NULL DEFAULT 'none' CHECK (aggregation IN ('sum', 'weighted_mean', 'none')),
    weight_series   TEXT NOT NULL DEFAULT '',   -- the population series a weighted mean uses
    shipped         INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- Which framework nodes an indicator measures (framework_nodes.id).
CREATE TABLE indicator_nodes (
    indicator   TEXT NOT NULL REFERENCES indicators (code) ON DELETE CASCADE,
    node_id     TEXT NOT NULL,
    PRIMARY KEY (indicator, node_id)
);
CREATE INDEX indicator_nodes_node ON indicator_nodes (node_id);

-- A series is one measured quantity of an indicator, as in the SDG Global
-- Database (10.c.1 has SI_RMT_COST and SI_RMT_COST_BC…). Observations are
-- recorded per series; an indicator of Amparo's own has one series.
CREATE TABLE series (
    code        TEXT PRIMARY KEY,   -- upper case, [A-Z0-9_]
    indicator   TEXT NOT NULL REFERENCES indicators (code) ON DELETE CASCADE,
    names       TEXT NOT NULL,
    unit        TEXT NOT NULL,
    unit_mult   INTEGER NOT NULL DEFAULT 0,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE INDEX series_indicator ON series (indicator, position);
