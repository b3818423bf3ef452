// SPDX-License-Identifier: AGPL-3.0-or-later

package testutil

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/persons"
)

// ProtectionCase opens a case owned by u with a principal person born in
// birthYear, whose names are sentinels, and returns both.
func (a *App) ProtectionCase(u User, birthYear int) (persons.Person, cases.Case) {
	a.T.Helper()
	ctx := context.Background()
	per, err := a.Persons.Create(ctx, u.Principal, persons.Input{
		Identity:   persons.Identity{GivenName: Sentinel("given"), FamilyName: Sentinel("family")},
		Attributes: persons.Attributes{BirthYear: birthYear, Nationality: "MAR"}})
	if err != nil {
		a.T.Fatalf("testutil: create person: %v", err)
	}
	c, err := a.Cases.Create(ctx, u.Principal, cases.NewCase{Concerns: []cases.Concern{"detention"},
		Persons: []cases.PersonLinkInput{{PersonID: per.ID, Role: cases.RolePrincipal}}})
	if err != nil {
		a.T.Fatalf("testutil: create case: %v", err)
	}
	return per, c
}

// DetainImmigration records, as u, that person of case c is held in an
// immigration detention centre in Spain since start, with no end.
func (a *App) DetainImmigration(u User, c cases.Case, personID string, start time.Time) detention.Episode {
	a.T.Helper()
	ctx := context.Background()
	rec, err := a.Cases.Reach(ctx, u.Principal, c.ID, detention.PermWrite)
	if err != nil {
		a.T.Fatalf("testutil: reach case: %v", err)
	}
	ep, err := a.Detention.CreateEpisode(ctx, u.Principal, rec, c.ID, personID, detention.EpisodeInput{
		FacilityType: detention.FacilityImmigrationDetentionCentre, FacilityCountry: "ESP", Start: start,
		ImmigrationRelated: true})
	if err != nil {
		a.T.Fatalf("testutil: create episode: %v", err)
	}
	return ep
}
