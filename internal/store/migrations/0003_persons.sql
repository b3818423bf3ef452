-- Persons: the migrants a protection organisation assists. The identity
-- (names, aliases, date of birth, documents, phones, address) is one JSON
-- document sealed under the person's own data key in identity_enc, and the
-- photo is sealed under the same key in person_photos, so destroying that
-- one key (erasure) makes all of it unreadable everywhere, backups included.
-- Everything in clear here is non-identifying and kept for statistics: sex,
-- year of birth, ISO country and language codes, an admin-1 area code.
--
-- Contract other packages rely on: id, org_id, created_at and updated_at
-- are the only columns without a default, so a test elsewhere may insert a
-- minimal person with just those four.

CREATE TABLE persons (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations (id),
    -- The user who registered or owns the person, for record scope. No
    -- foreign key: system and demo actors own records too, and an erased
    -- user's row stays.
    owner_id         TEXT,
    team_id          TEXT REFERENCES teams (id) ON DELETE SET NULL,
    -- NULL once erased (or for a minimal row inserted without identity).
    data_key_id      TEXT REFERENCES data_keys (id) ON DELETE SET NULL,
    identity_enc     BLOB,
    sex              TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    birth_year       INTEGER,
    nationality      TEXT NOT NULL DEFAULT '',
    country_of_birth TEXT NOT NULL DEFAULT '',
    -- ISO 639 codes separated by single spaces.
    languages        TEXT NOT NULL DEFAULT '',
    current_country  TEXT NOT NULL DEFAULT '',
    current_admin1   TEXT NOT NULL DEFAULT '',
    erased_at        BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX persons_org ON persons (org_id, id);
CREATE INDEX persons_owner ON persons (owner_id);
CREATE INDEX persons_team ON persons (team_id);

-- The photo, sealed under the person's data key; deleted on erasure.
CREATE TABLE person_photos (
    person_id     TEXT PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    photo_enc     BLOB NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- Search tokens: keyed HMACs (vault blind index) of normalised name
-- tokens, document numbers and phone numbers, each keyed with the
-- organisation too, so equal values in two organisations give unrelated
-- tokens. No plaintext; deleted on erasure.
CREATE TABLE person_index (
    person_id  TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('name', 'document', 'phone')),
    token      TEXT NOT NULL,
    PRIMARY KEY (person_id, kind, token)
);
CREATE INDEX person_index_lookup ON person_index (kind, token);

-- Vulnerabilities currently recorded, codes of the controlled vocabulary in
-- internal/persons (checked there, so the list can grow without a
-- migration).
CREATE TABLE person_vulnerabilities (
    person_id    TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  BIGINT NOT NULL,
    PRIMARY KEY (person_id, code)
);
CREATE INDEX person_vulnerabilities_code ON person_vulnerabilities (code);

-- Consent statements, append-only: the latest (by stated_at, then seq) for a
-- purpose and recipient is the one in force. recipient_org_id is set for
-- referrals only.
CREATE TABLE person_consents (
    id                TEXT PRIMARY KEY,
    person_id         TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    purpose           TEXT NOT NULL CHECK (purpose IN ('case_management', 'referral', 'statistics')),
    recipient_org_id  TEXT REFERENCES organisations (id),
    status            TEXT NOT NULL CHECK (status IN ('given', 'withdrawn')),
    stated_at         BIGINT NOT NULL,
    recorded_by       TEXT NOT NULL,
    recorded_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX person_consents_seq ON person_consents (person_id, seq);
CREATE INDEX person_consents_lookup ON person_consents (person_id, purpose, recipient_org_id);
