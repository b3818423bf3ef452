-- Service providers and referrals (internal/referrals; res. ¶7). The
-- directory of providers holds organisational contacts only, never personal
-- data. A referral sends a person of a case to a provider for one service;
-- it holds ids and codes (service type, status, consent basis, override
-- reason, outcome), never free text, so nothing here identifies a person.
-- Codes are checked by the domain, so that vocabularies can grow without a
-- migration; times are Unix microseconds (UTC).

-- A provider may itself be an Amparo organisation (org_id), which then
-- receives the referrals sent to it; org_id NULL is a provider outside
-- Amparo. maintainer_org_id is the organisation whose administrators keep
-- the entry up to date, NULL for entries kept by system administrators.
-- Archived entries stay for the referrals that name them.
CREATE TABLE service_providers (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    org_id             TEXT REFERENCES organisations (id),
    maintainer_org_id  TEXT REFERENCES organisations (id),
    country            TEXT NOT NULL,
    admin1             TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    -- ISO 639 codes separated by single spaces.
    languages          TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    website            TEXT NOT NULL DEFAULT '',
    opening_hours      TEXT NOT NULL DEFAULT '',
    archived_at        BIGINT,
    created_by         TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_by         TEXT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX service_providers_country_name ON service_providers (country, name, id);
CREATE INDEX service_providers_name ON service_providers (name, id);
CREATE INDEX service_providers_org ON service_providers (org_id);

-- The service types a provider offers.
CREATE TABLE service_provider_types (
    provider_id   TEXT NOT NULL REFERENCES service_providers (id) ON DELETE CASCADE,
    service_type  TEXT NOT NULL,
    PRIMARY KEY (provider_id, service_type)
);
CREATE INDEX service_provider_types_type ON service_provider_types (service_type, provider_id);

-- Referrals. from_org_id is the case's organisation (moved with the case
-- when it is transferred); to_org_id is the provider's organisation when the
-- referral was sent (NULL for a provider outside Amparo): the organisation
-- that receives it and the recipient the person's consent names, kept even
-- if the directory entry later changes. consent_basis says why sending was
-- lawful: 'internal' (the provider is the sending organisation itself),
-- 'consent' (the person's recorded consent to referral to to_org_id) or
-- 'override' (a user holding referral.override_consent, with the reason
-- code in override_reason). outcome is the code of the last status change:
-- why declined or revoked, or the result when completed.
CREATE TABLE referrals (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id        TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    from_org_id      TEXT NOT NULL REFERENCES organisations (id),
    provider_id      TEXT NOT NULL REFERENCES service_providers (id),
    to_org_id        TEXT REFERENCES organisations (id),
    service_type     TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'sent'
                     CHECK (status IN ('sent', 'accepted', 'declined', 'completed', 'revoked')),
    due_at           BIGINT,
    consent_basis    TEXT NOT NULL CHECK (consent_basis IN ('internal', 'consent', 'override')),
    override_reason  TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL DEFAULT '',
    sent_by          TEXT NOT NULL,
    sent_at          BIGINT NOT NULL,
    updated_by       TEXT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CHECK ((consent_basis = 'override') = (override_reason <> ''))
);
CREATE INDEX referrals_case ON referrals (case_id, sent_at, id);
CREATE INDEX referrals_person ON referrals (person_id);
-- The receiving organisation's inbox, by status and by when sent.
CREATE INDEX referrals_incoming ON referrals (to_org_id, status, sent_at, id);
CREATE INDEX referrals_incoming_sent ON referrals (to_org_id, sent_at, id);
CREATE INDEX referrals_from_org ON referrals (from_org_id, sent_at);
CREATE INDEX referrals_provider ON referrals (provider_id);
