// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// ExportFormat names the layout of Export's document.
const ExportFormat = "amparo.person.v1"

// exportDoc is everything held about a person, as Export writes it.
type exportDoc struct {
	Format          string                `json:"format"`
	ExportedAt      time.Time             `json:"exported_at"`
	ID              string                `json:"id"`
	OrganisationID  string                `json:"organisation_id"`
	OwnerID         string                `json:"owner_id,omitempty"`
	TeamID          string                `json:"team_id,omitempty"`
	CreatedAt       time.Time             `json:"created_at"`
	UpdatedAt       time.Time             `json:"updated_at"`
	ErasedAt        *time.Time            `json:"erased_at,omitempty"`
	Identity        *exportIdentity       `json:"identity"`
	Photo           *exportPhoto          `json:"photo,omitempty"`
	Attributes      exportAttributes      `json:"attributes"`
	Vulnerabilities []exportVulnerability `json:"vulnerabilities"`
	Consents        []exportConsent       `json:"consents"`
}

type exportIdentity struct {
	GivenName   string           `json:"given_name"`
	FamilyName  string           `json:"family_name"`
	Aliases     []string         `json:"aliases"`
	DateOfBirth string           `json:"date_of_birth"`
	Documents   []exportDocument `json:"documents"`
	Phones      []string         `json:"phones"`
	Address     string           `json:"address"`
}

type exportDocument struct {
	Type    string `json:"type"`
	Number  string `json:"number"`
	Country string `json:"country"`
}

type exportPhoto struct {
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"` // base64
}

type exportAttributes struct {
	Sex            string   `json:"sex"`
	BirthYear      int      `json:"birth_year,omitempty"`
	Nationality    string   `json:"nationality"`
	CountryOfBirth string   `json:"country_of_birth"`
	Languages      []string `json:"languages"`
	CurrentCountry string   `json:"current_country"`
	CurrentAdmin1  string   `json:"current_admin1"`
}

type exportVulnerability struct {
	Code       string    `json:"code"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

type exportConsent struct {
	Purpose        string    `json:"purpose"`
	RecipientOrgID string    `json:"recipient_org_id,omitempty"`
	Status         string    `json:"status"`
	At             time.Time `json:"at"`
	RecordedBy     string    `json:"recorded_by"`
	RecordedAt     time.Time `json:"recorded_at"`
}

// Export returns everything held about a person p may read, as indented
// JSON (format ExportFormat): identity with photo, attributes,
// vulnerabilities and consent history; for an erased person, the shell
// with "identity": null. It audits person.export naming the parts
// exported. The bytes are plaintext personal data: the caller encrypts
// them before they leave the process (SECURITY-BAR 13).
func (s *Service) Export(ctx context.Context, p access.Principal, id string) ([]byte, error) {
	if !ids.Valid(id) {
		return nil, ErrNotFound
	}
	var out []byte
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadRow(ctx, tx, id)
		if err != nil {
			return err
		}
		if !p.Allows(permRead, r.record()) {
			return ErrNotFound
		}
		person, err := s.person(ctx, tx, r)
		if err != nil {
			return err
		}
		doc := exportDoc{Format: ExportFormat, ExportedAt: fromMicros(micros(s.now())), ID: r.id,
			OrganisationID: r.orgID, OwnerID: r.ownerID, TeamID: r.teamID, CreatedAt: person.CreatedAt,
			UpdatedAt: person.UpdatedAt, ErasedAt: person.ErasedAt}
		var fields []string
		if !person.Erased {
			doc.Identity = exportIdentityOf(person.Identity)
			fields = slices.Clone(identityFields)
			ph, err := s.openPhoto(ctx, tx, r)
			switch {
			case errors.Is(err, ErrNotFound):
			case err != nil:
				return err
			default:
				doc.Photo = &exportPhoto{ContentType: ph.ContentType, Data: ph.Data}
				fields = append(fields, fieldPhoto)
			}
		}
		a := person.Attributes
		doc.Attributes = exportAttributes{Sex: a.Sex, BirthYear: a.BirthYear, Nationality: a.Nationality,
			CountryOfBirth: a.CountryOfBirth, Languages: nonNil(a.Languages), CurrentCountry: a.CurrentCountry,
			CurrentAdmin1: a.CurrentAdmin1}
		if doc.Vulnerabilities, err = exportVulnerabilities(ctx, tx, id); err != nil {
			return err
		}
		consents, err := consentHistory(ctx, tx, id)
		if err != nil {
			return err
		}
		doc.Consents = []exportConsent{}
		for _, c := range consents {
			doc.Consents = append(doc.Consents, exportConsent{Purpose: string(c.Purpose), RecipientOrgID: c.RecipientOrgID,
				Status: string(c.Status), At: c.At, RecordedBy: c.RecordedBy, RecordedAt: c.RecordedAt})
		}
		if out, err = json.MarshalIndent(doc, "", "  "); err != nil {
			return err
		}
		fields = append(fields, "attributes", fieldVulnerabilities, fieldConsents)
		return s.log(ctx, tx, p, "person.export", id, r.orgID, fields...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func exportIdentityOf(id Identity) *exportIdentity {
	e := &exportIdentity{GivenName: id.GivenName, FamilyName: id.FamilyName, Aliases: nonNil(id.Aliases),
		DateOfBirth: id.DateOfBirth, Phones: nonNil(id.Phones), Address: id.Address, Documents: []exportDocument{}}
	for _, d := range id.Documents {
		e.Documents = append(e.Documents, exportDocument(d))
	}
	return e
}

func exportVulnerabilities(ctx context.Context, q store.Queryer, id string) ([]exportVulnerability, error) {
	rows, err := q.Query(ctx, `SELECT code, recorded_by, recorded_at FROM person_vulnerabilities WHERE person_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	out := []exportVulnerability{}
	for rows.Next() {
		var v exportVulnerability
		var at int64
		if err := rows.Scan(&v.Code, &v.RecordedBy, &at); err != nil {
			return nil, err
		}
		v.RecordedAt = fromMicros(at)
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b exportVulnerability) int { return vulnerabilityRank(a.Code) - vulnerabilityRank(b.Code) })
	return out, rows.Err()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
