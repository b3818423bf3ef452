-- Validation rules (internal/validation), in the manner of DHIS2: a left
-- expression, an operator and a right expression over series values of one
-- area and period (internal/expr), with a strategy for missing values. They
-- run on every import and on demand; an on-demand run keeps its report.
CREATE TABLE validation_rules (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    names       TEXT NOT NULL,       -- JSON, keyed by language
    left_expr   TEXT NOT NULL,
    operator    TEXT NOT NULL CHECK (operator IN ('==', '!=', '<', '<=', '>', '>=')),
    right_expr  TEXT NOT NULL,
    missing     TEXT NOT NULL CHECK (missing IN ('skip_if_any_missing', 'skip_if_all_missing', 'never_skip')),
    importance  TEXT NOT NULL DEFAULT 'medium' CHECK (importance IN ('high', 'medium', 'low')),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    shipped     INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE validation_runs (
    id          TEXT PRIMARY KEY,
    scope       TEXT NOT NULL,       -- JSON: the series, areas and periods checked
    rules       INTEGER NOT NULL,
    checked     INTEGER NOT NULL,
    violations  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE validation_violations (
    run_id      TEXT NOT NULL REFERENCES validation_runs (id) ON DELETE CASCADE,
    rule_id     TEXT NOT NULL,
    area        TEXT NOT NULL,
    period      TEXT NOT NULL,
    left_value  DOUBLE PRECISION,
    right_value DOUBLE PRECISION,
    PRIMARY KEY (run_id, rule_id, area, period)
);
