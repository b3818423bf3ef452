-- Case search (internal/cases): filters on the principal person's
-- nationality and location, sorting by number and opening date, and saved
-- searches.

-- The clear, non-identifying attributes of each case's principal person
-- (persons.nationality, current_country, current_admin1), copied onto the
-- case so that a list filtered by them reads its first page in order from
-- one index, however rare or common the value. '' when the case has no
-- principal or the attribute is unknown. Every change to a principal link
-- (internal/cases) or to a principal's attributes (internal/persons) copies
-- them again in the same transaction.
ALTER TABLE cases ADD COLUMN principal_nationality TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN principal_country TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN principal_admin1 TEXT NOT NULL DEFAULT '';
UPDATE cases SET
    principal_nationality = COALESCE((SELECT p.nationality FROM case_persons cp JOIN persons p ON p.id = cp.person_id
        WHERE cp.case_id = cases.id AND cp.role = 'principal'), ''),
    principal_country = COALESCE((SELECT p.current_country FROM case_persons cp JOIN persons p ON p.id = cp.person_id
        WHERE cp.case_id = cases.id AND cp.role = 'principal'), ''),
    principal_admin1 = COALESCE((SELECT p.current_admin1 FROM case_persons cp JOIN persons p ON p.id = cp.person_id
        WHERE cp.case_id = cases.id AND cp.role = 'principal'), '');

-- One index per new filter or order, each ending in the order it serves, as
-- those of migration 0004 do: nationality, country, and country with
-- admin-1 area, in the default order of last change; opening date (the
-- order "opened", and ranges of it); and case number. Numbers are
-- YYYY-NNNNN with the sequence growing past five digits in a busy year, so
-- their order is the year, then the length, then the text: "2026-100000"
-- comes after "2026-99999".
CREATE INDEX cases_org_nationality_updated ON cases (org_id, principal_nationality, updated_at, id);
CREATE INDEX cases_org_country_updated ON cases (org_id, principal_country, updated_at, id);
CREATE INDEX cases_org_admin1_updated ON cases (org_id, principal_country, principal_admin1, updated_at, id);
CREATE INDEX cases_org_created ON cases (org_id, created_at, id);
CREATE INDEX cases_org_number_order ON cases (org_id, (substr(number, 1, 4)), (length(number)), number, id);

-- Saved searches: a name and the non-identifying criteria of a case list
-- (codes, ids, dates and the order, as the list's query string), never a
-- name, document or phone, which the search form sends in a request body
-- only. A search belongs to the user who saved it in one organisation; with
-- team_id set it is shared with that team, which the owner belonged to when
-- saving it.
CREATE TABLE saved_searches (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    owner_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id     TEXT REFERENCES teams (id) ON DELETE SET NULL,
    name        TEXT NOT NULL,
    criteria    TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX saved_searches_owner_name ON saved_searches (owner_id, org_id, name);
CREATE INDEX saved_searches_team ON saved_searches (team_id, name) WHERE team_id IS NOT NULL;
