-- Protection cases (internal/cases): the case, its protection concerns, the
-- persons linked to it, notes, tasks, attachments and offers to transfer it
-- to another organisation. Notes, task titles and attachment names and
-- contents are sealed under the case's own data key (cases.data_key_id), so
-- destroying that one key erases them everywhere. Status, risk, concerns and
-- roles are codes in clear, for lists and statistics. Columns naming who did
-- something (created_by, author_id, …) hold actor ids as the audit log does,
-- without foreign keys: the system actor and erased users act too.

-- The last case number given in each organisation and year. The creating
-- transaction increments the row (INSERT … ON CONFLICT DO UPDATE), which
-- takes its lock until commit, so concurrent creations get consecutive,
-- distinct numbers on both engines.
CREATE TABLE case_numbers (
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    year         INTEGER NOT NULL,
    last_number  BIGINT NOT NULL,
    PRIMARY KEY (org_id, year)
);

CREATE TABLE cases (
    id                    TEXT PRIMARY KEY,
    org_id                TEXT NOT NULL REFERENCES organisations (id),
    -- Readable number, YYYY-NNNNN, unique within the organisation.
    number                TEXT NOT NULL,
    owner_id              TEXT NOT NULL REFERENCES users (id),
    team_id               TEXT REFERENCES teams (id) ON DELETE SET NULL,
    status                TEXT NOT NULL DEFAULT 'new'
                          CHECK (status IN ('new', 'assessment', 'case_plan', 'services', 'closed')),
    -- '' until the risk is assessed.
    risk                  TEXT NOT NULL DEFAULT '' CHECK (risk IN ('', 'low', 'medium', 'high', 'critical')),
    -- NULL once erased.
    data_key_id           TEXT REFERENCES data_keys (id) ON DELETE SET NULL,
    -- A closure request waiting for approval has closure_requested_at set
    -- while status is not 'closed'; a closed case keeps who asked, why,
    -- who approved and when.
    closure_requested_by  TEXT,
    closure_requested_at  BIGINT,
    closure_reason        TEXT NOT NULL DEFAULT '',
    closed_by             TEXT,
    closed_at             BIGINT,
    created_by            TEXT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE UNIQUE INDEX cases_org_number_key ON cases (org_id, number);
-- Case lists are ordered by last change (updated_at DESC, id DESC) and paged
-- by that pair; one index per common filter under each record scope serves
-- the first page from the index alone: organisation (with or without a
-- status or risk filter), owner (own scope, or an owner filter) and team.
CREATE INDEX cases_org_updated ON cases (org_id, updated_at, id);
CREATE INDEX cases_org_status_updated ON cases (org_id, status, updated_at, id);
CREATE INDEX cases_org_risk_updated ON cases (org_id, risk, updated_at, id);
CREATE INDEX cases_owner_updated ON cases (owner_id, org_id, updated_at, id);
CREATE INDEX cases_team_updated ON cases (team_id, updated_at, id);

-- Protection concerns: codes of the vocabulary in internal/cases (checked
-- there, so the list can grow without a migration). case_org_id and
-- case_updated_at copy the case's org_id and updated_at, and every write to
-- the case keeps them equal, so that a list filtered by concern reads its
-- first page in order from one index however rare or common the concern.
CREATE TABLE case_concerns (
    case_id          TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    concern          TEXT NOT NULL,
    case_org_id      TEXT NOT NULL,
    case_updated_at  BIGINT NOT NULL,
    PRIMARY KEY (case_id, concern)
);
CREATE INDEX case_concerns_org_updated ON case_concerns (case_org_id, concern, case_updated_at, case_id);

-- Persons linked to a case: the principal (at most one) and family or group
-- members, with their relation to the principal.
CREATE TABLE case_persons (
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('principal', 'family_member', 'group_member')),
    relation    TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (case_id, person_id)
);
CREATE UNIQUE INDEX case_persons_one_principal ON case_persons (case_id) WHERE role = 'principal';
CREATE INDEX case_persons_person ON case_persons (person_id);

CREATE TABLE case_notes (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL,
    body_enc    BLOB NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at, id);

CREATE TABLE case_tasks (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    title_enc    BLOB NOT NULL,
    assignee_id  TEXT NOT NULL REFERENCES users (id),
    due_at       BIGINT NOT NULL,
    done_at      BIGINT,
    done_by      TEXT,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX case_tasks_case ON case_tasks (case_id, due_at, id);
-- A user's open tasks by due date, for the inbox.
CREATE INDEX case_tasks_open ON case_tasks (assignee_id, due_at, id) WHERE done_at IS NULL;

-- Attachments: the type is checked from the content's first bytes; the
-- sealed content is the last column so that listing reads past it.
CREATE TABLE case_attachments (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    name_enc     BLOB NOT NULL,
    media_type   TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes   BIGINT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    content_enc  BLOB NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments (case_id, created_at, id);

-- Offers to move a case to another organisation. case_number is the number
-- the case had in the offering organisation, shown to the receiving one
-- before it accepts (it gets a new number there).
CREATE TABLE case_transfers (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    from_org_id  TEXT NOT NULL REFERENCES organisations (id),
    to_org_id    TEXT NOT NULL REFERENCES organisations (id),
    case_number  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
    offered_by   TEXT NOT NULL,
    offered_at   BIGINT NOT NULL,
    decided_by   TEXT,
    decided_at   BIGINT
);
CREATE UNIQUE INDEX case_transfers_one_pending ON case_transfers (case_id) WHERE status = 'pending';
CREATE INDEX case_transfers_incoming ON case_transfers (to_org_id, offered_at, id) WHERE status = 'pending';
CREATE INDEX case_transfers_case ON case_transfers (case_id, offered_at);

-- A case's history is its audit entries (object_type 'case', object_id the
-- case id), newest first; without this index reading it would scan the
-- whole log.
CREATE INDEX audit_log_object_seq ON audit_log (object_type, object_id, seq);
