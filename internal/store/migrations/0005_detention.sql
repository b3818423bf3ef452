-- Detention and consular notification (internal/detention; res. ¶4(a)–(d),
-- (g); VCCR art. 36). Episodes and notifications belong to a case and a
-- person; org_id is the case's organisation, kept here so that an
-- organisation's open episodes are found without a join (a case transfer
-- moves them with it). Codes (facility type, alternatives) are checked by
-- the domain, so that vocabularies can grow without a migration; times are
-- Unix microseconds (UTC). Nothing here identifies a person: the person is
-- an id, and the free-text fields (authority, legal basis, consulate) are
-- codes or citations, never names.

CREATE TABLE detention_episodes (
    id                   TEXT PRIMARY KEY,
    org_id               TEXT NOT NULL REFERENCES organisations (id),
    case_id              TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id            TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    facility_type        TEXT NOT NULL,
    facility_country     TEXT NOT NULL,
    authority            TEXT NOT NULL DEFAULT '',
    start_at             BIGINT NOT NULL,
    end_at               BIGINT,
    legal_basis          TEXT NOT NULL DEFAULT '',
    immigration_related  INTEGER NOT NULL CHECK (immigration_related IN (0, 1)),
    created_by           TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_by           TEXT NOT NULL,
    updated_at           BIGINT NOT NULL,
    CHECK (end_at IS NULL OR end_at >= start_at)
);
CREATE INDEX detention_episodes_case ON detention_episodes (case_id, start_at, id);
CREATE INDEX detention_episodes_person ON detention_episodes (person_id);
-- The scheduler's question: the open episodes of an organisation.
CREATE INDEX detention_episodes_open ON detention_episodes (org_id, id) WHERE end_at IS NULL;
CREATE INDEX detention_episodes_org_start ON detention_episodes (org_id, start_at);

-- Judicial reviews of the lawfulness of an episode (past, or scheduled).
CREATE TABLE detention_reviews (
    episode_id   TEXT NOT NULL REFERENCES detention_episodes (id) ON DELETE CASCADE,
    reviewed_at  BIGINT NOT NULL,
    PRIMARY KEY (episode_id, reviewed_at)
);

-- Alternatives to detention considered, and whether applied.
CREATE TABLE detention_alternatives (
    episode_id  TEXT NOT NULL REFERENCES detention_episodes (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    considered  INTEGER NOT NULL CHECK (considered IN (0, 1)),
    applied     INTEGER NOT NULL CHECK (applied IN (0, 1)),
    PRIMARY KEY (episode_id, kind),
    CHECK (applied = 0 OR considered = 1)
);
CREATE INDEX detention_alternatives_kind ON detention_alternatives (kind, applied);

-- The legal maximum of immigration detention by detaining country, entered
-- by the deployment with its source (none ships with Amparo). max_days 0:
-- the law sets no maximum.
CREATE TABLE detention_legal_limits (
    country     TEXT PRIMARY KEY,
    max_days    INTEGER NOT NULL CHECK (max_days >= 0),
    source      TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Consular notification of a detained foreign national, one record per
-- episode and nationality concerned. requested: 1 asked, 0 declined, NULL
-- not recorded.
CREATE TABLE consular_notifications (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organisations (id),
    episode_id        TEXT NOT NULL REFERENCES detention_episodes (id) ON DELETE CASCADE,
    nationality       TEXT NOT NULL,
    consulate         TEXT NOT NULL DEFAULT '',
    arrested_at       BIGINT NOT NULL,
    told_at           BIGINT,
    requested         INTEGER CHECK (requested IN (0, 1)),
    notified_at       BIGINT,
    first_contact_at  BIGINT,
    created_by        TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_by        TEXT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX consular_notifications_episode_nationality ON consular_notifications (episode_id, nationality);
CREATE INDEX consular_notifications_org ON consular_notifications (org_id, arrested_at);

-- Nationalities whose consulate the detaining state has agreed (by a
-- bilateral consular convention) to notify whatever the person's wish,
-- entered by the deployment with its source (none ships with Amparo).
CREATE TABLE consular_mandatory_countries (
    detaining_country  TEXT NOT NULL,
    nationality        TEXT NOT NULL,
    source             TEXT NOT NULL,
    as_of              TEXT NOT NULL,
    updated_by         TEXT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (detaining_country, nationality),
    CHECK (detaining_country <> nationality)
);

-- An organisation's settings for the detention rules; an organisation
-- without a row uses the defaults (internal/detention.DefaultConfig).
CREATE TABLE detention_settings (
    org_id          TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    warn_days       INTEGER NOT NULL CHECK (warn_days >= 1),
    review_days     INTEGER NOT NULL CHECK (review_days >= 1),
    consular_hours  INTEGER NOT NULL CHECK (consular_hours >= 1),
    updated_by      TEXT NOT NULL,
    updated_at      BIGINT NOT NULL
);
