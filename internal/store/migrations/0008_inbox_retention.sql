-- Inbox notifications (internal/inbox) and retention of closed cases
-- (internal/retention).

-- An organisation's retention period for closed cases: a case closed more
-- than closed_case_days days ago is shredded by the scheduler (its data key
-- destroyed). No row means keep closed cases for ever, the default: erasing
-- a person's file is a decision the organisation takes, never one the
-- software takes for it.
CREATE TABLE org_retention (
    org_id            TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    closed_case_days  INTEGER NOT NULL CHECK (closed_case_days >= 1),
    updated_by        TEXT NOT NULL,
    updated_at        BIGINT NOT NULL
);
-- Closed cases whose data key still exists, by closing date: what the
-- retention job looks for.
CREATE INDEX cases_closed_unshredded ON cases (org_id, closed_at) WHERE status = 'closed' AND data_key_id IS NOT NULL;

-- A user's e-mail digests. A row with confirmed_at set means the user,
-- signed in, asked for digests at the address their account had then;
-- email_index is that address's blind index (users.email_index), so that a
-- later change of address stops the digests until the user confirms the
-- new one. lang is the language of the messages; last_daily_at is when the
-- last daily digest went out, so that a restart or a second server does not
-- send another the same day.
CREATE TABLE digest_settings (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    lang           TEXT NOT NULL,
    email_index    TEXT NOT NULL,
    confirmed_at   BIGINT,
    last_daily_at  BIGINT,
    updated_at     BIGINT NOT NULL
);

-- Alerts the scheduler has seen open, for the kinds that call for an
-- e-mail at once (a child in immigration detention). The key is the alert
-- kind and the episode, so two servers or two runs record it once;
-- handled_at is set once the immediate digests for it went out (or e-mail
-- is not configured). A row is deleted when its alert is no longer open.
CREATE TABLE alert_notices (
    kind        TEXT NOT NULL,
    episode_id  TEXT NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    case_id     TEXT NOT NULL,
    seen_at     BIGINT NOT NULL,
    handled_at  BIGINT,
    PRIMARY KEY (kind, episode_id)
);
CREATE INDEX alert_notices_org ON alert_notices (org_id, handled_at);
