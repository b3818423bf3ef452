// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals

import (
	"context"
	"database/sql"
	"errors"
	"github.com/amparo-project/amparo/internal/fielderr"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// ProviderInput is a directory entry as written. Contacts are the
// provider's organisational ones (a switchboard, a shared mailbox), never
// a person's.
type ProviderInput struct {
	Name string
	// OrgID is the Amparo organisation the provider is, "" for a provider
	// outside Amparo. An organisation administrator may name only their own
	// organisation; a system administrator any.
	OrgID        string
	ServiceTypes []string // at least one, from ServiceTypes
	Country      string   // ISO 3166-1 code, stored as alpha-3
	Admin1       string   // first-level area within Country, code or short name
	Address      string
	Languages    []string // ISO 639-1 or 639-3 codes
	Phone        string
	Email        string
	Website      string // http or https
	OpeningHours string
}

// Provider is a directory entry.
type Provider struct {
	ID string
	ProviderInput
	// MaintainerOrgID is the organisation whose administrators keep the
	// entry, "" for one kept by system administrators.
	MaintainerOrgID string
	// ArchivedAt is set once the entry is archived (Delete): it stays for
	// the referrals that name it but takes no new ones.
	ArchivedAt *time.Time
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedBy  string
	UpdatedAt  time.Time
}

// Limits of directory entries.
const (
	maxNameRunes    = 200
	maxAdmin1Runes  = 100
	maxAddressRunes = 500
	maxHoursRunes   = 500
	maxEmailLen     = 254
	maxWebsiteLen   = 500
	maxLanguages    = 30
)

var (
	languageRE = regexp.MustCompile(`^[a-z]{2,3}$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9][0-9 ().-]{2,38}$`)
)

// normaliseProvider trims and checks in, returning it normalised (country
// as alpha-3, codes in lower case, service types in vocabulary order).
func normaliseProvider(in ProviderInput) (ProviderInput, error) {
	v := &ValidationError{}
	in.Name = v.Text("name", in.Name, maxNameRunes, false)
	if in.Name == "" {
		v.Add("name", CodeRequired)
	}
	in.OrgID = strings.TrimSpace(in.OrgID)
	if in.OrgID != "" && !ids.Valid(in.OrgID) {
		v.Add("org_id", CodeNotFound)
	}
	var types []string
	for i, t := range in.ServiceTypes {
		t = strings.ToLower(strings.TrimSpace(t))
		if !KnownServiceType(t) {
			v.Add("service_types."+strconv.Itoa(i), CodeUnknown)
		} else if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	if len(in.ServiceTypes) == 0 {
		v.Add("service_types", CodeRequired)
	}
	sortServiceTypes(types)
	in.ServiceTypes = types
	in.Country = strings.TrimSpace(in.Country)
	if in.Country == "" {
		v.Add("country", CodeRequired)
	} else if c, ok := countries.Lookup(in.Country); ok {
		in.Country = c.Alpha3
	} else {
		v.Add("country", CodeUnknownCountry)
	}
	in.Admin1 = v.Text("admin1", in.Admin1, maxAdmin1Runes, false)
	in.Address = v.Text("address", in.Address, maxAddressRunes, true)
	var langs []string
	for i, l := range in.Languages {
		l = strings.ToLower(strings.TrimSpace(l))
		switch {
		case l == "":
		case !languageRE.MatchString(l):
			v.Add("languages."+strconv.Itoa(i), CodeInvalidLanguage)
		case !slices.Contains(langs, l):
			langs = append(langs, l)
		}
	}
	if len(langs) > maxLanguages {
		v.Add("languages", CodeTooMany)
	}
	in.Languages = langs
	in.Phone = strings.TrimSpace(in.Phone)
	if in.Phone != "" && !phoneRE.MatchString(in.Phone) {
		v.Add("phone", CodeInvalidPhone)
	}
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" {
		a, err := mail.ParseAddress(in.Email)
		if err != nil || a.Address != in.Email || a.Name != "" || len(in.Email) > maxEmailLen {
			v.Add("email", CodeInvalidEmail)
		}
	}
	in.Website = strings.TrimSpace(in.Website)
	if in.Website != "" {
		u, err := url.Parse(in.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			len(in.Website) > maxWebsiteLen || fielderr.HasControl(in.Website, false) {
			v.Add("website", CodeInvalidURL)
		}
	}
	in.OpeningHours = v.Text("opening_hours", in.OpeningHours, maxHoursRunes, true)
	return in, v.OrNil()
}

// canReadDirectory reports whether p may read the directory: any
// signed-in member of an organisation, and system administrators.
func canReadDirectory(p access.Principal) bool { return p.Can(permProviderRead) }

// checkProviderOrg checks that p may name organisation orgID as the
// provider (their own organisation, or any for a principal with
// provider.write on every organisation) and that it exists.
func checkProviderOrg(ctx context.Context, q store.Queryer, p access.Principal, orgID string) error {
	if orgID == "" {
		return nil
	}
	if !p.Allows(PermProviderWrite, access.Record{OrgID: orgID}) {
		return invalid("org_id", CodeNotAllowed)
	}
	var n int
	if err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE id = ?`, orgID), &n); err != nil {
		return err
	}
	if n == 0 {
		return invalid("org_id", CodeNotFound)
	}
	return nil
}

const providerColumns = `id, name, COALESCE(org_id, ''), COALESCE(maintainer_org_id, ''), country, admin1, address,
	languages, phone, email, website, opening_hours, archived_at, created_by, created_at, updated_by, updated_at`

func scanProvider(sc store.Scanner) (Provider, error) {
	var pr Provider
	var langs string
	var archived sql.NullInt64
	var created, updated int64
	err := sc.Scan(&pr.ID, &pr.Name, &pr.OrgID, &pr.MaintainerOrgID, &pr.Country, &pr.Admin1, &pr.Address, &langs,
		&pr.Phone, &pr.Email, &pr.Website, &pr.OpeningHours, &archived, &pr.CreatedBy, &created, &pr.UpdatedBy, &updated)
	pr.Languages = strings.Fields(langs)
	pr.ArchivedAt = fromNullMicros(archived)
	pr.CreatedAt, pr.UpdatedAt = fromMicros(created), fromMicros(updated)
	return pr, err
}

// loadProvider reads provider id with its service types.
func loadProvider(ctx context.Context, q store.Queryer, id string) (Provider, error) {
	pr, err := scanProvider(q.QueryRow(ctx, `SELECT `+providerColumns+` FROM service_providers WHERE id = ?`, id))
	if err != nil {
		return Provider{}, notFound(err)
	}
	types, err := typesOf(ctx, q, []string{id})
	pr.ServiceTypes = types[id]
	return pr, err
}

// typesOf returns the service types of the providers ids, in vocabulary
// order.
func typesOf(ctx context.Context, q store.Queryer, provIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(provIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(provIDs))
	for i, id := range provIDs {
		args[i] = id
	}
	type row struct{ id, t string }
	rows, err := store.QueryAll(ctx, q, func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.t)
	}, `SELECT provider_id, service_type FROM service_provider_types WHERE provider_id IN (`+
		store.Placeholders(len(provIDs))+`)`, args...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.id] = append(out[r.id], r.t)
	}
	for _, ts := range out {
		sortServiceTypes(ts)
	}
	return out, nil
}

func writeTypes(ctx context.Context, tx *store.Tx, id string, types []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM service_provider_types WHERE provider_id = ?`, id); err != nil {
		return err
	}
	for _, t := range types {
		if _, err := tx.Exec(ctx, `INSERT INTO service_provider_types (provider_id, service_type) VALUES (?, ?)`, id, t); err != nil {
			return err
		}
	}
	return nil
}

// changedProviderFields names the fields whose value differs, for the
// audit log, in a fixed order.
func changedProviderFields(old, cur ProviderInput) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("name", old.Name != cur.Name)
	add("org_id", old.OrgID != cur.OrgID)
	add("service_types", !slices.Equal(old.ServiceTypes, cur.ServiceTypes))
	add("country", old.Country != cur.Country)
	add("admin1", old.Admin1 != cur.Admin1)
	add("address", old.Address != cur.Address)
	add("languages", !slices.Equal(old.Languages, cur.Languages))
	add("phone", old.Phone != cur.Phone)
	add("email", old.Email != cur.Email)
	add("website", old.Website != cur.Website)
	add("opening_hours", old.OpeningHours != cur.OpeningHours)
	return out
}

// CreateProvider adds an entry to the directory, maintained by p's
// organisation (by system administrators when p acts in none). It needs
// provider.write; audited as provider.create.
func (s *Service) CreateProvider(ctx context.Context, p access.Principal, in ProviderInput) (Provider, error) {
	// A system administrator outside any organisation holds the grant on
	// every organisation, the record "" included.
	if !p.Allows(PermProviderWrite, access.Record{OrgID: p.OrgID}) {
		if canReadDirectory(p) {
			return Provider{}, ErrForbidden
		}
		return Provider{}, ErrNotFound
	}
	in, err := normaliseProvider(in)
	if err != nil {
		return Provider{}, err
	}
	now := s.now()
	pr := Provider{ID: ids.New(), ProviderInput: in, MaintainerOrgID: p.OrgID,
		CreatedBy: p.UserID, CreatedAt: now, UpdatedBy: p.UserID, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := checkProviderOrg(ctx, tx, p, in.OrgID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO service_providers (id, name, org_id, maintainer_org_id, country, admin1,
			address, languages, phone, email, website, opening_hours, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			pr.ID, pr.Name, nullString(pr.OrgID), nullString(pr.MaintainerOrgID), pr.Country, pr.Admin1, pr.Address,
			strings.Join(pr.Languages, " "), pr.Phone, pr.Email, pr.Website, pr.OpeningHours,
			pr.CreatedBy, micros(now), pr.UpdatedBy, micros(now)); err != nil {
			return err
		}
		if err := writeTypes(ctx, tx, pr.ID, pr.ServiceTypes); err != nil {
			return err
		}
		return s.log(ctx, tx, p, pr.MaintainerOrgID, "provider.create", objProvider, pr.ID,
			changedProviderFields(ProviderInput{}, pr.ProviderInput)...)
	})
	if err != nil {
		return Provider{}, err
	}
	return pr, nil
}

// Provider returns directory entry id, archived or not, to any signed-in
// member of an organisation.
func (s *Service) Provider(ctx context.Context, p access.Principal, id string) (Provider, error) {
	if !canReadDirectory(p) || !ids.Valid(id) {
		return Provider{}, ErrNotFound
	}
	return loadProvider(ctx, s.db, id)
}

// providerForChange locks and reads entry id and checks that p may change
// it: ErrForbidden for an entry p may read but another organisation
// maintains.
func providerForChange(ctx context.Context, tx *store.Tx, p access.Principal, id string) (Provider, error) {
	if !canReadDirectory(p) || !ids.Valid(id) {
		return Provider{}, ErrNotFound
	}
	res, err := tx.Exec(ctx, `UPDATE service_providers SET updated_at = updated_at WHERE id = ?`, id)
	if err != nil {
		return Provider{}, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return Provider{}, ErrNotFound
	}
	pr, err := loadProvider(ctx, tx, id)
	if err != nil {
		return Provider{}, err
	}
	if !p.Allows(PermProviderWrite, access.Record{OrgID: pr.MaintainerOrgID}) {
		return Provider{}, ErrForbidden
	}
	return pr, nil
}

// UpdateProvider replaces what the directory holds of entry id. Changing
// OrgID follows the rule of CreateProvider. The audit entry
// (provider.update) names the fields whose value changed; a change to
// nothing writes nothing.
func (s *Service) UpdateProvider(ctx context.Context, p access.Principal, id string, in ProviderInput) (Provider, error) {
	var pr Provider
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := providerForChange(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if old.ArchivedAt != nil {
			return invalid("archived_at", CodeArchived)
		}
		norm, err := normaliseProvider(in)
		if err != nil {
			return err
		}
		if norm.OrgID != old.OrgID {
			if err := checkProviderOrg(ctx, tx, p, norm.OrgID); err != nil {
				return err
			}
		}
		pr = old
		pr.ProviderInput = norm
		changed := changedProviderFields(old.ProviderInput, norm)
		if len(changed) == 0 {
			pr = old
			return nil
		}
		pr.UpdatedBy, pr.UpdatedAt = p.UserID, s.now()
		if _, err := tx.Exec(ctx, `UPDATE service_providers SET name = ?, org_id = ?, country = ?, admin1 = ?, address = ?,
			languages = ?, phone = ?, email = ?, website = ?, opening_hours = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			pr.Name, nullString(pr.OrgID), pr.Country, pr.Admin1, pr.Address, strings.Join(pr.Languages, " "),
			pr.Phone, pr.Email, pr.Website, pr.OpeningHours, pr.UpdatedBy, micros(pr.UpdatedAt), id); err != nil {
			return err
		}
		if slices.Contains(changed, "service_types") {
			if err := writeTypes(ctx, tx, id, pr.ServiceTypes); err != nil {
				return err
			}
		}
		return s.log(ctx, tx, p, pr.MaintainerOrgID, "provider.update", objProvider, id, changed...)
	})
	if err != nil {
		return Provider{}, err
	}
	return pr, nil
}

// DeleteProvider archives entry id: it leaves the directory's lists and
// takes no new referrals, but stays for the referrals that name it.
// Audited as provider.delete.
func (s *Service) DeleteProvider(ctx context.Context, p access.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		pr, err := providerForChange(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if pr.ArchivedAt != nil {
			return nil
		}
		now := micros(s.now())
		if _, err := tx.Exec(ctx, `UPDATE service_providers SET archived_at = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			now, p.UserID, now, id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, pr.MaintainerOrgID, "provider.delete", objProvider, id, "archived_at")
	})
}

// ProviderFilter narrows a directory list; zero fields do not filter.
type ProviderFilter struct {
	ServiceType string
	Country     string // any ISO 3166-1 code
	Language    string // ISO 639 code
	// OrgID lists the entries that are this Amparo organisation.
	OrgID string
	// Archived lists archived entries instead of current ones.
	Archived bool
}

// Providers lists the directory, by name, a page at a time, for any
// signed-in member of an organisation. It returns the cursor of the next
// page, "" after the last.
func (s *Service) Providers(ctx context.Context, p access.Principal, f ProviderFilter, pg Page) ([]Provider, string, error) {
	if !canReadDirectory(p) {
		return nil, "", ErrNotFound
	}
	v := &ValidationError{}
	conds := []string{"archived_at IS NULL"}
	if f.Archived {
		conds[0] = "archived_at IS NOT NULL"
	}
	var args []any
	if f.ServiceType != "" {
		if !KnownServiceType(f.ServiceType) {
			v.Add("service_type", CodeUnknown)
		}
		conds = append(conds, "id IN (SELECT provider_id FROM service_provider_types WHERE service_type = ?)")
		args = append(args, f.ServiceType)
	}
	if f.Country != "" {
		c, ok := countries.Lookup(f.Country)
		if !ok {
			v.Add("country", CodeUnknownCountry)
		}
		conds = append(conds, "country = ?")
		args = append(args, c.Alpha3)
	}
	if f.Language != "" {
		lang := strings.ToLower(strings.TrimSpace(f.Language))
		if !languageRE.MatchString(lang) {
			v.Add("language", CodeInvalidLanguage)
		}
		conds = append(conds, "(' ' || languages || ' ') LIKE ?")
		args = append(args, "% "+lang+" %")
	}
	if f.OrgID != "" {
		if !ids.Valid(f.OrgID) {
			v.Add("org_id", CodeNotFound)
		}
		conds = append(conds, "org_id = ?")
		args = append(args, f.OrgID)
	}
	if err := v.OrNil(); err != nil {
		return nil, "", err
	}
	if pg.Cursor != "" {
		if !ids.Valid(pg.Cursor) {
			return nil, "", invalid("cursor", CodeInvalid)
		}
		var name string
		err := store.ScanRow(s.db.QueryRow(ctx, `SELECT name FROM service_providers WHERE id = ?`, pg.Cursor), &name)
		if errors.Is(err, store.ErrNotFound) {
			return nil, "", invalid("cursor", CodeInvalid)
		}
		if err != nil {
			return nil, "", err
		}
		conds = append(conds, "(name > ? OR (name = ? AND id > ?))")
		args = append(args, name, name, pg.Cursor)
	}
	limit := pg.limit()
	args = append(args, limit+1)
	list, err := store.QueryAll(ctx, s.db, scanProvider, `SELECT `+providerColumns+` FROM service_providers WHERE `+
		strings.Join(conds, " AND ")+` ORDER BY name, id LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = list[limit-1].ID
	}
	provIDs := make([]string, len(list))
	for i, pr := range list {
		provIDs[i] = pr.ID
	}
	types, err := typesOf(ctx, s.db, provIDs)
	if err != nil {
		return nil, "", err
	}
	for i := range list {
		list[i].ServiceTypes = types[list[i].ID]
	}
	return list, next, nil
}
