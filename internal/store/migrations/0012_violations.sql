-- Violations documentation (internal/violations; agenda 1, 3, 5; res.
-- ¶¶3(a), 4(e), 5(a)(b)), in the "who did what to whom" model of the
-- HURIDOCS Events Standard Formats: an event holds acts, each done to a
-- victim by perpetrators with a degree of involvement; sources tell of the
-- event and interventions answer it.
--
-- Everything that may identify someone or describe what happened to them
-- (the event's title, description and place, the acts' descriptions, the
-- perpetrators' identities, the sources' details, the interventions'
-- notes) is sealed under the event's own data key (data_key_id), so that
-- destroying that one key erases all of it. Codes of the controlled
-- vocabularies (act type, right affected, consequence, perpetrator
-- category, involvement, source type and reliability, intervention type,
-- person role) are in clear for lists and statistics, and checked by the
-- domain against its vocabularies so that an administrator can extend them
-- without a migration. org_id is copied onto acts and perpetrators so that
-- statistics count them per organisation without a join. Dates of events
-- and acts are known to a precision (exact, estimated, month or year): the
-- date as given ('YYYY-MM-DD', 'YYYY-MM' or 'YYYY') is kept with its
-- precision, and the first and last day it may stand for, as 'YYYY-MM-DD'
-- text that sorts as it reads, for searching and ordering. Columns naming
-- who did something hold actor ids as the audit log does, without foreign
-- keys. Times are Unix microseconds (UTC).

CREATE TABLE violation_events (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations (id),
    -- Record scope, as for cases: the owner and the team.
    owner_id         TEXT NOT NULL,
    team_id          TEXT REFERENCES teams (id) ON DELETE SET NULL,
    -- NULL once erased.
    data_key_id      TEXT REFERENCES data_keys (id) ON DELETE SET NULL,
    title_enc        BLOB NOT NULL,
    description_enc  BLOB NOT NULL,
    place_enc        BLOB NOT NULL,
    start_date       TEXT NOT NULL,
    start_precision  TEXT NOT NULL CHECK (start_precision IN ('exact', 'estimated', 'month', 'year')),
    start_first      TEXT NOT NULL,
    start_last       TEXT NOT NULL,
    end_date         TEXT,
    end_precision    TEXT CHECK (end_precision IN ('exact', 'estimated', 'month', 'year')),
    end_last         TEXT,
    -- ISO 3166-1 alpha-3, and the first-level area as recorded ('' for
    -- none): the finest place kept in clear, as statistics publish no finer.
    country          TEXT NOT NULL DEFAULT '',
    admin1           TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_by       TEXT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CHECK ((end_date IS NULL) = (end_precision IS NULL) AND (end_date IS NULL) = (end_last IS NULL)),
    CHECK (end_last IS NULL OR end_last >= start_first)
);
-- Event lists are ordered by when the event began (or by last change) and
-- paged by that and the id, under each record scope.
CREATE INDEX violation_events_org_start ON violation_events (org_id, start_first, id);
CREATE INDEX violation_events_org_updated ON violation_events (org_id, updated_at, id);
CREATE INDEX violation_events_owner ON violation_events (owner_id, org_id, start_first);
CREATE INDEX violation_events_team ON violation_events (team_id, start_first);
CREATE INDEX violation_events_org_country ON violation_events (org_id, country, start_first);

-- Perpetrators of an event: a category always, an identity (a name, a
-- rank, a unit) only when known, sealed; NULL when not given.
CREATE TABLE violation_perpetrators (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organisations (id),
    event_id      TEXT NOT NULL REFERENCES violation_events (id) ON DELETE CASCADE,
    category      TEXT NOT NULL,
    identity_enc  BLOB,
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX violation_perpetrators_event ON violation_perpetrators (event_id, created_at, id);
CREATE INDEX violation_perpetrators_org_category ON violation_perpetrators (org_id, category);

-- Acts of an event. The victim is a person of the organisation, or NULL
-- when unknown or erased: erasing a person (internal/persons) clears it in
-- the erasing transaction, and deleting the row would too. A xenophobic or
-- racist incident is an act whose type is in that branch of the act-type
-- vocabulary.
CREATE TABLE violation_acts (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organisations (id),
    event_id          TEXT NOT NULL REFERENCES violation_events (id) ON DELETE CASCADE,
    act_type          TEXT NOT NULL,
    right_affected    TEXT NOT NULL DEFAULT '',
    victim_person_id  TEXT REFERENCES persons (id) ON DELETE SET NULL,
    start_date        TEXT,
    start_precision   TEXT CHECK (start_precision IN ('exact', 'estimated', 'month', 'year')),
    start_first       TEXT,
    end_date          TEXT,
    end_precision     TEXT CHECK (end_precision IN ('exact', 'estimated', 'month', 'year')),
    end_last          TEXT,
    description_enc   BLOB NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_by        TEXT NOT NULL,
    updated_at        BIGINT NOT NULL,
    CHECK ((start_date IS NULL) = (start_precision IS NULL) AND (start_date IS NULL) = (start_first IS NULL)),
    CHECK ((end_date IS NULL) = (end_precision IS NULL) AND (end_date IS NULL) = (end_last IS NULL)),
    CHECK (end_date IS NULL OR start_date IS NOT NULL),
    CHECK (end_last IS NULL OR end_last >= start_first)
);
CREATE INDEX violation_acts_event ON violation_acts (event_id, created_at, id);
CREATE INDEX violation_acts_org_type ON violation_acts (org_id, act_type);
CREATE INDEX violation_acts_victim ON violation_acts (victim_person_id);

-- The consequences of an act for its victim (several may apply).
CREATE TABLE violation_act_consequences (
    act_id       TEXT NOT NULL REFERENCES violation_acts (id) ON DELETE CASCADE,
    consequence  TEXT NOT NULL,
    PRIMARY KEY (act_id, consequence)
);

-- Who took part in an act, and how (the involvement vocabulary: did it,
-- ordered it, assisted, failed to act…). Both belong to the same event.
CREATE TABLE violation_act_perpetrators (
    act_id          TEXT NOT NULL REFERENCES violation_acts (id) ON DELETE CASCADE,
    perpetrator_id  TEXT NOT NULL REFERENCES violation_perpetrators (id) ON DELETE CASCADE,
    involvement     TEXT NOT NULL,
    PRIMARY KEY (act_id, perpetrator_id)
);
CREATE INDEX violation_act_perpetrators_perpetrator ON violation_act_perpetrators (perpetrator_id);

-- Sources of information on an event, rated on the Admiralty scale
-- (reliability of the source A–F, credibility of the information 1–6); the
-- details (who, what was said) are sealed. obtained_on is 'YYYY-MM-DD'.
CREATE TABLE violation_sources (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    event_id     TEXT NOT NULL REFERENCES violation_events (id) ON DELETE CASCADE,
    source_type  TEXT NOT NULL,
    reliability  TEXT NOT NULL,
    credibility  TEXT NOT NULL,
    obtained_on  TEXT,
    details_enc  BLOB NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX violation_sources_event ON violation_sources (event_id, created_at, id);

-- What was done about an event: complaints, litigation, urgent appeals,
-- medical or legal aid. The status is a fixed workflow; dates are
-- 'YYYY-MM-DD'; notes are sealed.
CREATE TABLE violation_interventions (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES organisations (id),
    event_id           TEXT NOT NULL REFERENCES violation_events (id) ON DELETE CASCADE,
    intervention_type  TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('planned', 'submitted', 'in_progress', 'concluded', 'dismissed')),
    started_on         TEXT,
    ended_on           TEXT,
    notes_enc          BLOB NOT NULL,
    created_by         TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_by         TEXT NOT NULL,
    updated_at         BIGINT NOT NULL,
    CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX violation_interventions_event ON violation_interventions (event_id, created_at, id);

-- Cases an event concerns. A case's tab lists the events linked to it.
CREATE TABLE violation_event_cases (
    event_id    TEXT NOT NULL REFERENCES violation_events (id) ON DELETE CASCADE,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (event_id, case_id)
);
CREATE INDEX violation_event_cases_case ON violation_event_cases (case_id);

-- Persons an event concerns, with their role in it (victim, witness,
-- complainant…). Erasing a person deletes their rows here in the erasing
-- transaction.
CREATE TABLE violation_event_persons (
    event_id    TEXT NOT NULL REFERENCES violation_events (id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX violation_event_persons_person ON violation_event_persons (person_id);

-- Changes an administrator made to the shipped vocabularies: terms added
-- (labels holds their names as a JSON object by language code) and terms
-- retired (retired_at set), shipped ones included (labels ''). A retired
-- term is no longer offered but still names the records that hold it.
-- Added codes contain an 'x' segment, which no shipped code has, so a later
-- release never ships a code an organisation already uses.
CREATE TABLE violation_vocabulary_terms (
    vocabulary  TEXT NOT NULL,
    code        TEXT NOT NULL,
    parent      TEXT NOT NULL DEFAULT '',
    labels      TEXT NOT NULL DEFAULT '',
    retired_at  BIGINT,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (vocabulary, code)
);
