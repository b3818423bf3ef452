-- Encrypted exports (internal/caseexport): the age public key each
-- organisation receives exports under, and the ledger of exports made.
-- No export is ever stored: the file is encrypted as it is made and handed
-- to the person who asked for it; what stays is who made it, why, for whom
-- and how many rows it held.

-- An organisation's age X25519 recipient ("age1…"), set by its
-- administrator. No row means exports to the organisation can only be made
-- under a passphrase. A public key is not secret, so it is kept in clear.
CREATE TABLE org_export_keys (
    org_id      TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    recipient   TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- One row per export made, named by the audit entry of the export (object
-- type 'export', object id = id). purpose is a code of the vocabulary in
-- internal/caseexport and reference an identifier the exporter may add
-- (an agreement's or a request's number), shaped so that it cannot carry a
-- sentence about a person. row_count counts the cases or, for the export of
-- everything held about a person, 1.
CREATE TABLE data_exports (
    id                TEXT PRIMARY KEY,
    org_id            TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('case_list', 'person')),
    purpose           TEXT NOT NULL,
    reference         TEXT NOT NULL DEFAULT '',
    recipient_kind    TEXT NOT NULL CHECK (recipient_kind IN ('passphrase', 'organisation')),
    recipient_org_id  TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    format            TEXT NOT NULL CHECK (format IN ('csv', 'xlsx', 'json')),
    row_count         BIGINT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);
CREATE INDEX data_exports_org ON data_exports (org_id, created_at);
