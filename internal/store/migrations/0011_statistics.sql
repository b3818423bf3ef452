-- Statistics (internal/statistics): live counts over the current data,
-- published only through disclosure control, and the threshold k it uses.
-- No table of results is kept or rebuilt: each statistics table is one
-- grouped read of an index that holds every column it groups and filters
-- by, so that a table at a million cases costs one pass over an index
-- rather than a join per case.

-- The principal person's sex and year of birth, copied onto the case as
-- migration 0009 copies their nationality and place, so that the tables by
-- sex and age band read the case alone. 'unknown' and NULL when the case
-- has no principal or the attribute is not known. Every change to a
-- principal link (internal/cases) or to a principal's attributes
-- (internal/persons) copies them again in the same transaction.
ALTER TABLE cases ADD COLUMN principal_sex TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE cases ADD COLUMN principal_birth_year INTEGER;
UPDATE cases SET
    principal_sex = COALESCE((SELECT p.sex FROM case_persons cp JOIN persons p ON p.id = cp.person_id
        WHERE cp.case_id = cases.id AND cp.role = 'principal'), 'unknown'),
    principal_birth_year = (SELECT p.birth_year FROM case_persons cp JOIN persons p ON p.id = cp.person_id
        WHERE cp.case_id = cases.id AND cp.role = 'principal');

-- The case's opening time and its principal's copied attributes, copied
-- again onto each of its concerns (as case_org_id is, and named like it so
-- that no column of case_concerns has the name of one of cases, which
-- would make the case list's joins ambiguous), so that the table of
-- concerns, by sex or age band and filtered by quarter, nationality or
-- country, reads case_concerns alone. Written with the concern, and again
-- by every copy of the principal's attributes onto the case.
ALTER TABLE case_concerns ADD COLUMN case_created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_concerns ADD COLUMN case_nationality TEXT NOT NULL DEFAULT '';
ALTER TABLE case_concerns ADD COLUMN case_country TEXT NOT NULL DEFAULT '';
ALTER TABLE case_concerns ADD COLUMN case_sex TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE case_concerns ADD COLUMN case_birth_year INTEGER;
UPDATE case_concerns SET
    case_created_at = (SELECT c.created_at FROM cases c WHERE c.id = case_concerns.case_id),
    case_nationality = (SELECT c.principal_nationality FROM cases c WHERE c.id = case_concerns.case_id),
    case_country = (SELECT c.principal_country FROM cases c WHERE c.id = case_concerns.case_id),
    case_sex = (SELECT c.principal_sex FROM cases c WHERE c.id = case_concerns.case_id),
    case_birth_year = (SELECT c.principal_birth_year FROM cases c WHERE c.id = case_concerns.case_id);

-- One index per family of tables, each starting with the columns the
-- table groups by, in that order, so that the groups come out of the index
-- in order without a sort, and holding every column the filters read, so
-- that no row is looked up: by nationality (also the table by sex or age
-- band of one nationality), by place (also that of one country), by sex
-- and year of birth, and by concern. An index led by the organisation
-- would serve one organisation's figures from a smaller range, but only by
-- looking up every case for the other columns, which costs more than the
-- whole pass for a large organisation.
CREATE INDEX cases_stats_nationality ON cases (principal_nationality, principal_sex, principal_birth_year, org_id,
    created_at, principal_country, principal_admin1);
CREATE INDEX cases_stats_place ON cases (principal_country, principal_admin1, principal_sex, principal_birth_year,
    org_id, created_at, principal_nationality);
CREATE INDEX cases_stats_sex ON cases (principal_sex, principal_birth_year, org_id, created_at, principal_nationality,
    principal_country);
CREATE INDEX case_concerns_stats ON case_concerns (concern, case_sex, case_birth_year, case_org_id, case_created_at,
    case_nationality, case_country);

-- The threshold k of disclosure control: counts from 1 to k-1 are never
-- published (internal/disclosure). One row, changed only by system
-- administrators (statistics.configure), every change audited. The floor
-- of 5 is the security bar's; 100 keeps a typing slip from hiding every
-- table.
CREATE TABLE statistics_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    k           INTEGER NOT NULL CHECK (k >= 5 AND k <= 100),
    updated_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
INSERT INTO statistics_settings (id, k, updated_by, updated_at) VALUES (1, 11, 'system', 0);
