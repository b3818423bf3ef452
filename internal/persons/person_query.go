// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// Create registers a person in p's organisation, owned by p and in p's
// team, and audits person.create naming the fields given. It needs
// person.write on a record p would own.
func (s *Service) Create(ctx context.Context, p access.Principal, in Input) (Person, error) {
	if p.OrgID == "" || !p.Allows(permWrite, access.Record{OrgID: p.OrgID, OwnerID: p.UserID, TeamID: p.TeamID}) {
		return Person{}, ErrForbidden
	}
	now := s.now()
	pr, err := prepare(in, now)
	if err != nil {
		return Person{}, err
	}
	ident, attrs, vulns, photoType, photo := pr.ident, pr.attrs, pr.vulns, pr.photoType, pr.photo
	out := Person{Summary: Summary{ID: ids.New(), OrgID: p.OrgID, OwnerID: p.UserID, TeamID: p.TeamID,
		Attributes: attrs, CreatedAt: fromMicros(micros(now)), UpdatedAt: fromMicros(micros(now))},
		Identity: ident, HasPhoto: photo != nil, Vulnerabilities: vulns}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		keyID, err := s.vault.NewDataKey(ctx, tx, keyPurpose)
		if err != nil {
			return err
		}
		enc, err := s.sealIdentity(ctx, tx, keyID, out.ID, ident)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO persons (id, org_id, owner_id, team_id, data_key_id, identity_enc, sex,
			birth_year, nationality, country_of_birth, languages, current_country, current_admin1, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			out.ID, p.OrgID, p.UserID, nullIfEmpty(p.TeamID), keyID, enc, attrs.Sex, nullIfZero(attrs.BirthYear),
			attrs.Nationality, attrs.CountryOfBirth, strings.Join(attrs.Languages, " "), attrs.CurrentCountry,
			attrs.CurrentAdmin1, micros(now), micros(now))
		if err != nil {
			return err
		}
		if err := s.writeIndex(ctx, tx, out.ID, p.OrgID, ident); err != nil {
			return err
		}
		if err := s.writeVulnerabilities(ctx, tx, p, out.ID, nil, vulns); err != nil {
			return err
		}
		if photo != nil {
			if err := s.writePhoto(ctx, tx, keyID, out.ID, photoType, photo); err != nil {
				return err
			}
		}
		fields := createdFields(ident, attrs, vulns)
		if photo != nil {
			fields = append(fields, fieldPhoto)
		}
		return s.log(ctx, tx, p, "person.create", out.ID, p.OrgID, fields...)
	})
	if err != nil {
		return Person{}, err
	}
	return out, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// Get returns a person p may read, with identity decrypted, and audits
// person.read naming the identity fields read. An erased person comes back
// as its shell: Erased set, Identity empty, and the audit entry names no
// field.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Person, error) {
	if !ids.Valid(id) {
		return Person{}, ErrNotFound
	}
	var out Person
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadRow(ctx, tx, id)
		if err != nil {
			return err
		}
		if !p.Allows(permRead, r.record()) {
			return ErrNotFound
		}
		if out, err = s.person(ctx, tx, r); err != nil {
			return err
		}
		var fields []string
		if !out.Erased {
			fields = slices.Clone(identityFields)
		}
		return s.log(ctx, tx, p, "person.read", id, r.orgID, fields...)
	})
	if err != nil {
		return Person{}, err
	}
	return out, nil
}

// person assembles the Person of row r, decrypting its identity. The
// caller checks access and audits the read.
func (s *Service) person(ctx context.Context, q store.Queryer, r personRow) (Person, error) {
	out := Person{Summary: r.summary()}
	ident, err := s.openIdentity(ctx, q, r)
	switch {
	case errors.Is(err, vault.ErrErased):
		out.Erased = true
	case err != nil:
		return Person{}, err
	default:
		out.Identity = ident
	}
	if out.Vulnerabilities, err = loadVulnerabilities(ctx, q, r.id); err != nil {
		return Person{}, err
	}
	if !out.Erased {
		if out.HasPhoto, err = hasPhoto(ctx, q, r.id); err != nil {
			return Person{}, err
		}
	}
	return out, nil
}

// Update applies patch to a person p may write and audits person.update
// naming the fields whose value changed (none changed: nothing is written
// or audited). It returns the person as Get does, audited as a read.
func (s *Service) Update(ctx context.Context, p access.Principal, id string, patch Patch) (Person, error) {
	if !ids.Valid(id) {
		return Person{}, ErrNotFound
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(ctx, tx, p, id, permWrite)
		if err != nil {
			return err
		}
		if r.erased() {
			return ErrErased
		}
		cur, err := s.openIdentity(ctx, tx, r)
		if errors.Is(err, vault.ErrErased) {
			return ErrErased
		}
		if err != nil {
			return err
		}
		curAttrs := r.summary().Attributes
		curVulns, err := loadVulnerabilities(ctx, tx, id)
		if err != nil {
			return err
		}
		ident, attrs, vulns := patch.apply(cur, curAttrs, curVulns)
		ident, attrs, vulns, errs := normalise(ident, attrs, vulns, s.now())
		if len(errs) > 0 {
			return &ValidationError{Errors: errs}
		}
		identChanged := identityChanges(cur, ident)
		changed := append(slices.Clone(identChanged), attributeChanges(curAttrs, attrs)...)
		if !slices.Equal(curVulns, vulns) {
			changed = append(changed, fieldVulnerabilities)
		}
		if len(changed) == 0 {
			return nil
		}
		if len(identChanged) > 0 {
			if err := s.ensureKey(ctx, tx, &r); err != nil {
				return err
			}
			enc, err := s.sealIdentity(ctx, tx, r.keyID, id, ident)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE persons SET identity_enc = ? WHERE id = ?`, enc, id); err != nil {
				return err
			}
			if err := s.writeIndex(ctx, tx, id, r.orgID, ident); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE persons SET sex = ?, birth_year = ?, nationality = ?, country_of_birth = ?,
			languages = ?, current_country = ?, current_admin1 = ?, updated_at = ? WHERE id = ?`,
			attrs.Sex, nullIfZero(attrs.BirthYear), attrs.Nationality, attrs.CountryOfBirth,
			strings.Join(attrs.Languages, " "), attrs.CurrentCountry, attrs.CurrentAdmin1, micros(s.now()), id)
		if err != nil {
			return err
		}
		// Case lists filter on these through copies on the cases.
		if err := cases.CopyPrincipalAttributes(ctx, tx, id); err != nil {
			return err
		}
		if err := s.writeVulnerabilities(ctx, tx, p, id, curVulns, vulns); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "person.update", id, r.orgID, changed...)
	})
	if err != nil {
		return Person{}, err
	}
	return s.Get(ctx, p, id)
}

// SetVulnerability records (present) or removes a vulnerability of a
// person p may write, auditing person.update with the field
// "vulnerabilities" (never the code: which vulnerability a person has is
// itself sensitive). Setting what is already so changes nothing.
func (s *Service) SetVulnerability(ctx context.Context, p access.Principal, id, code string, present bool) error {
	if !KnownVulnerability(code) {
		return invalid(fieldVulnerabilities, CodeUnknownVulnerability)
	}
	if !ids.Valid(id) {
		return ErrNotFound
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(ctx, tx, p, id, permWrite)
		if err != nil {
			return err
		}
		if r.erased() {
			return ErrErased
		}
		have, err := loadVulnerabilities(ctx, tx, id)
		if err != nil {
			return err
		}
		want := slices.DeleteFunc(slices.Clone(have), func(c string) bool { return c == code })
		if present {
			want = append(want, code)
		}
		sortVulnerabilities(want)
		if slices.Equal(have, want) {
			return nil
		}
		if err := s.writeVulnerabilities(ctx, tx, p, id, have, want); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE persons SET updated_at = ? WHERE id = ?`, micros(s.now()), id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "person.update", id, r.orgID, fieldVulnerabilities)
	})
}

// SetPhoto replaces the photo of a person p may write with data, a JPEG or
// PNG image of at most MaxPhotoBytes, stored without its metadata (EXIF,
// XMP, comments); nil or empty data removes the photo. It audits
// person.update with the field "photo".
func (s *Service) SetPhoto(ctx context.Context, p access.Principal, id string, data []byte) error {
	var contentType string
	var clean []byte
	if len(data) > 0 {
		var code string
		if contentType, clean, code = cleanPhoto(data); code != "" {
			return invalid(fieldPhoto, code)
		}
	}
	if !ids.Valid(id) {
		return ErrNotFound
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(ctx, tx, p, id, permWrite)
		if err != nil {
			return err
		}
		if r.erased() {
			return ErrErased
		}
		if clean == nil {
			held, err := hasPhoto(ctx, tx, id)
			if err != nil || !held {
				return err // removing no photo changes nothing
			}
			if _, err := tx.Exec(ctx, `DELETE FROM person_photos WHERE person_id = ?`, id); err != nil {
				return err
			}
		} else {
			if err := s.ensureKey(ctx, tx, &r); err != nil {
				return err
			}
			if err := s.writePhoto(ctx, tx, r.keyID, id, contentType, clean); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE persons SET updated_at = ? WHERE id = ?`, micros(s.now()), id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "person.update", id, r.orgID, fieldPhoto)
	})
}

// writePhoto seals and stores the photo of person id, replacing any.
func (s *Service) writePhoto(ctx context.Context, tx *store.Tx, keyID, id, contentType string, data []byte) error {
	enc, err := s.vault.Seal(ctx, tx, keyID, photoAD(id), data)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM person_photos WHERE person_id = ?`, id); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO person_photos (person_id, content_type, photo_enc, updated_at) VALUES (?, ?, ?, ?)`,
		id, contentType, enc, micros(s.now()))
	return err
}

// Photo returns the photo of a person p may read, auditing person.read
// with the field "photo". It returns ErrNotFound when no photo is held.
func (s *Service) Photo(ctx context.Context, p access.Principal, id string) (Photo, error) {
	if !ids.Valid(id) {
		return Photo{}, ErrNotFound
	}
	var out Photo
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadRow(ctx, tx, id)
		if err != nil {
			return err
		}
		if !p.Allows(permRead, r.record()) || r.erased() {
			return ErrNotFound
		}
		if out, err = s.openPhoto(ctx, tx, r); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "person.read", id, r.orgID, fieldPhoto)
	})
	if err != nil {
		return Photo{}, err
	}
	return out, nil
}

// openPhoto decrypts the photo of r; ErrNotFound when none is held.
func (s *Service) openPhoto(ctx context.Context, q store.Queryer, r personRow) (Photo, error) {
	var out Photo
	var enc []byte
	err := store.ScanRow(q.QueryRow(ctx, `SELECT content_type, photo_enc FROM person_photos WHERE person_id = ?`, r.id),
		&out.ContentType, &enc)
	if err != nil {
		return Photo{}, notFound(err)
	}
	if out.Data, err = s.vault.Open(ctx, q, r.keyID, photoAD(r.id), enc); err != nil {
		if errors.Is(err, vault.ErrErased) {
			return Photo{}, ErrNotFound
		}
		return Photo{}, err
	}
	return out, nil
}

// Assign hands a person to ownerID, a member of the person's organisation,
// and to that member's team. p needs person.write on the person both as it
// is and as it will be, so a caseworker cannot give away their own, while
// a supervisor can move persons within their team. It audits person.assign.
func (s *Service) Assign(ctx context.Context, p access.Principal, id, ownerID string) error {
	if !ids.Valid(id) {
		return ErrNotFound
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(ctx, tx, p, id, permWrite)
		if err != nil {
			return err
		}
		if r.erased() {
			return ErrErased
		}
		var team *string
		err = store.ScanRow(tx.QueryRow(ctx, `SELECT team_id FROM memberships WHERE org_id = ? AND user_id = ?`,
			r.orgID, ownerID), &team)
		if errors.Is(err, store.ErrNotFound) {
			return invalid("owner_id", CodeNotFound)
		}
		if err != nil {
			return err
		}
		next := access.Record{OrgID: r.orgID, OwnerID: ownerID}
		if team != nil {
			next.TeamID = *team
		}
		if !p.Allows(permWrite, next) {
			return ErrForbidden
		}
		if next == r.record() {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE persons SET owner_id = ?, team_id = ?, updated_at = ? WHERE id = ?`,
			ownerID, nullIfEmpty(next.TeamID), micros(s.now()), id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "person.assign", id, r.orgID, "owner_id", "team_id")
	})
}

// ListFilter narrows List. Zero values do not filter.
type ListFilter struct {
	Nationality   string // ISO 3166-1 code
	Vulnerability string // a vocabulary code
	// IncludeErased lists erased shells too.
	IncludeErased bool
}

// List returns summaries of the persons p may read, ordered by id, and the
// cursor of the next page ("" after the last). Summaries hold no identity,
// so listing is not audited.
func (s *Service) List(ctx context.Context, p access.Principal, f ListFilter, page Page) ([]Summary, string, error) {
	cond, args, ok := scopeFilter(p, permRead)
	if !ok {
		return nil, "", ErrForbidden
	}
	where := []string{cond}
	if f.Nationality != "" {
		v := &ValidationError{}
		nat := checkCountry(v, fieldNationality, f.Nationality)
		if err := v.OrNil(); err != nil {
			return nil, "", err
		}
		where, args = append(where, "p.nationality = ?"), append(args, nat)
	}
	if f.Vulnerability != "" {
		if !KnownVulnerability(f.Vulnerability) {
			return nil, "", invalid(fieldVulnerabilities, CodeUnknownVulnerability)
		}
		where = append(where, "p.id IN (SELECT person_id FROM person_vulnerabilities WHERE code = ?)")
		args = append(args, f.Vulnerability)
	}
	if !f.IncludeErased {
		where = append(where, "p.erased_at IS NULL")
	}
	if page.Cursor != "" {
		where, args = append(where, "p.id > ?"), append(args, page.Cursor)
	}
	limit := page.limit()
	out, err := querySummaries(ctx, s.db, `SELECT `+personColumns+` FROM persons p WHERE `+
		strings.Join(where, " AND ")+` ORDER BY p.id LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		return out, out[limit-1].ID, nil
	}
	return out, "", nil
}

// SearchQuery is an exact-match search. Every criterion given must match:
// Name matches persons whose names or aliases hold every word of it, with
// case and accents ignored; DocumentNumber and Phone match a document or
// phone number exactly, ignoring spaces, hyphens and other separators.
type SearchQuery struct {
	Name           string
	DocumentNumber string
	Phone          string
	// Limit is 50 when <= 0 and at most 500.
	Limit int
}

// maxQueryTokens bounds the words of a name search.
const maxQueryTokens = 10

// Search finds the persons of p's organisation that p may read and that
// match q, ordered by id, as summaries. Erased persons never match: their
// tokens are gone. Every search is audited as person.search, naming the
// criteria used, even when it finds no one.
func (s *Service) Search(ctx context.Context, p access.Principal, q SearchQuery) ([]Summary, error) {
	cond, args, fields, err := s.MatchIdentity(p, q.Name, q.DocumentNumber, q.Phone)
	if err != nil {
		return nil, err
	}
	limit := Page{Limit: q.Limit}.limit()
	var out []Summary
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = querySummaries(ctx, tx, `SELECT `+personColumns+` FROM persons p WHERE `+cond+
			` ORDER BY p.id LIMIT ?`, append(args, limit)...)
		if err != nil {
			return err
		}
		found := ""
		if len(out) == 1 {
			found = out[0].ID
		}
		return s.log(ctx, tx, p, "person.search", found, p.OrgID, fields...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
