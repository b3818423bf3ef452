// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

func TestProviderValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*referrals.ProviderInput)
		want []string
	}{
		{"empty", func(in *referrals.ProviderInput) { *in = referrals.ProviderInput{} },
			[]string{"name:required", "service_types:required", "country:required"}},
		{"unknown codes", func(in *referrals.ProviderInput) {
			in.ServiceTypes = []string{"legal", "haircut"}
			in.Country = "XXX"
			in.Languages = []string{"es", "Spanish"}
		}, []string{"service_types.1:unknown", "country:unknown_country", "languages.1:invalid_language"}},
		{"contacts", func(in *referrals.ProviderInput) {
			in.Phone = "call me"
			in.Email = "Info <info@example.org>"
			in.Website = "javascript:alert(1)"
		}, []string{"phone:invalid_phone", "email:invalid_email", "website:invalid_url"}},
		{"text", func(in *referrals.ProviderInput) {
			in.Name = "A\u202eB"
			in.Admin1 = "x\ny"
			in.OrgID = "not-an-id"
		}, []string{"name:control_characters", "org_id:not_found", "admin1:control_characters"}},
	}
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := providerInput("Valid", "")
				tt.edit(&in)
				_, err := f.svc.CreateProvider(ctx, f.adminA, in)
				wantFieldErrors(t, err, tt.want...)
			})
		}
		// Normalised: alpha-3 country, lower-case languages, types in
		// vocabulary order without duplicates.
		in := providerInput("Normal", "")
		in.Country, in.ServiceTypes, in.Languages = "mx", []string{"shelter", "medical", "shelter"}, []string{"FR", "fr", "es"}
		pr, err := f.svc.CreateProvider(ctx, f.adminA, in)
		if err != nil || pr.Country != "MEX" || !slices.Equal(pr.ServiceTypes, []string{"medical", "shelter"}) ||
			!slices.Equal(pr.Languages, []string{"fr", "es"}) {
			t.Fatalf("normalised = %+v, %v", pr.ProviderInput, err)
		}
		got, err := f.svc.Provider(ctx, f.viewerB, pr.ID)
		if err != nil || !slices.Equal(got.ServiceTypes, pr.ServiceTypes) || got.Name != "Normal" || got.MaintainerOrgID != f.orgA {
			t.Fatalf("read back = %+v, %v", got, err)
		}
	})
}

func TestProviderPermissions(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		in := providerInput("Albergue", "")

		for _, name := range []string{"owner", "supervisor", "receiver", "viewerB"} {
			if _, err := f.svc.CreateProvider(ctx, f.principal(name), in); !errors.Is(err, referrals.ErrForbidden) {
				t.Errorf("%s creates: %v", name, err)
			}
		}
		if _, err := f.svc.CreateProvider(ctx, access.Anonymous, in); !errors.Is(err, referrals.ErrNotFound) {
			t.Errorf("anonymous creates: %v", err)
		}
		pr, err := f.svc.CreateProvider(ctx, f.adminA, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.actions(pr.ID); !slices.Equal(got, []string{"provider.create:name,service_types,country,admin1," +
			"address,languages,phone,email,website,opening_hours"}) {
			t.Fatalf("audit = %v", got)
		}

		// Every signed-in member reads the directory; anonymous does not.
		for _, name := range []string{"owner", "receiver", "viewerB", "stranger", "sysadmin"} {
			if _, err := f.svc.Provider(ctx, f.principal(name), pr.ID); err != nil {
				t.Errorf("%s reads: %v", name, err)
			}
		}
		if _, err := f.svc.Provider(ctx, access.Anonymous, pr.ID); !errors.Is(err, referrals.ErrNotFound) {
			t.Errorf("anonymous reads: %v", err)
		}

		// Only A's administrators (and system administrators) change A's entry.
		in.Phone = "+52 962 111 1111"
		for _, name := range []string{"adminB", "owner", "supervisor"} {
			if _, err := f.svc.UpdateProvider(ctx, f.principal(name), pr.ID, in); !errors.Is(err, referrals.ErrForbidden) {
				t.Errorf("%s updates: %v", name, err)
			}
			if err := f.svc.DeleteProvider(ctx, f.principal(name), pr.ID); !errors.Is(err, referrals.ErrForbidden) {
				t.Errorf("%s deletes: %v", name, err)
			}
		}
		up, err := f.svc.UpdateProvider(ctx, f.adminA, pr.ID, in)
		if err != nil || up.Phone != in.Phone || up.UpdatedBy != f.adminA.UserID {
			t.Fatalf("update = %+v, %v", up, err)
		}
		// Naming another Amparo organisation as the provider is for system
		// administrators.
		in.OrgID = f.orgB
		if _, err := f.svc.UpdateProvider(ctx, f.adminA, pr.ID, in); fieldErrors(err) == nil || fieldErrors(err)[0] != "org_id:not_allowed" {
			t.Fatalf("org admin names B: %v", err)
		}
		if _, err := f.svc.UpdateProvider(ctx, f.sysadmin, pr.ID, in); err != nil {
			t.Fatalf("sysadmin names B: %v", err)
		}
		in.OrgID = f.orgA
		if _, err := f.svc.UpdateProvider(ctx, f.adminA, pr.ID, in); err != nil {
			t.Fatalf("org admin names A: %v", err)
		}
		// Unchanged: nothing written.
		before := len(f.actions(pr.ID))
		if _, err := f.svc.UpdateProvider(ctx, f.adminA, pr.ID, in); err != nil || len(f.actions(pr.ID)) != before {
			t.Fatalf("no-op update wrote %d entries, %v", len(f.actions(pr.ID))-before, err)
		}
		if got := f.actions(pr.ID); !slices.Equal(got[1:], []string{"provider.update:phone", "provider.update:org_id",
			"provider.update:org_id"}) {
			t.Fatalf("audit = %v", got)
		}

		if err := f.svc.DeleteProvider(ctx, f.adminA, pr.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateProvider(ctx, f.adminA, pr.ID, in); fieldErrors(err) == nil {
			t.Fatalf("update archived: %v", err)
		}
		if err := f.svc.DeleteProvider(ctx, f.sysadmin, "nope"); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("delete unknown: %v", err)
		}
		// An archived entry takes no referrals.
		_, err = f.refer(f.owner, pr.ID, "")
		wantFieldErrors(t, err, "provider_id:archived")
	})
}

func TestProvidersList(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		mk := func(name, country string, types, langs []string) string {
			in := providerInput(name, "")
			in.Country, in.ServiceTypes, in.Languages = country, types, langs
			pr, err := f.svc.CreateProvider(ctx, f.adminB, in)
			if err != nil {
				t.Fatal(err)
			}
			return pr.ID
		}
		mk("Casa del Migrante", "GTM", []string{"shelter"}, []string{"es", "mam"})
		us := mk("Legal Aid US", "USA", []string{"legal", "documentation"}, []string{"en", "es"})
		mx := mk("Psicólogos sin Fronteras", "MEX", []string{"psychosocial", "legal"}, []string{"es"})
		names := func(list []referrals.Provider) []string {
			var out []string
			for _, p := range list {
				out = append(out, p.Name)
			}
			return out
		}
		for _, tt := range []struct {
			f    referrals.ProviderFilter
			want []string
		}{
			{referrals.ProviderFilter{ServiceType: "legal"}, []string{"Clínica B", "Legal Aid US", "Outside shelter",
				"Psicólogos sin Fronteras", "Servicio propio A"}},
			{referrals.ProviderFilter{ServiceType: "legal", Country: "US"}, []string{"Legal Aid US"}},
			{referrals.ProviderFilter{Country: "GT"}, []string{"Casa del Migrante"}},
			{referrals.ProviderFilter{Language: "mam"}, []string{"Casa del Migrante"}},
			{referrals.ProviderFilter{Language: "en", Country: "MEX"}, []string{"Clínica B", "Outside shelter", "Servicio propio A"}},
			{referrals.ProviderFilter{OrgID: f.orgB}, []string{"Clínica B"}},
		} {
			list, _, err := f.svc.Providers(ctx, f.stranger, tt.f, referrals.Page{})
			if err != nil || !slices.Equal(names(list), tt.want) {
				t.Errorf("Providers(%+v) = %v, %v; want %v", tt.f, names(list), err, tt.want)
			}
		}
		list, _, _ := f.svc.Providers(ctx, f.stranger, referrals.ProviderFilter{Country: "US"}, referrals.Page{})
		if len(list) != 1 || list[0].ID != us || !slices.Equal(list[0].ServiceTypes, []string{"legal", "documentation"}) {
			t.Fatalf("list entry = %+v", list)
		}
		_, _, err := f.svc.Providers(ctx, f.stranger, referrals.ProviderFilter{ServiceType: "x", Country: "ZZZ", Language: "%"}, referrals.Page{})
		wantFieldErrors(t, err, "service_type:unknown", "country:unknown_country", "language:invalid_language")
		if _, _, err := f.svc.Providers(ctx, access.Anonymous, referrals.ProviderFilter{}, referrals.Page{}); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("anonymous lists: %v", err)
		}

		// Pages of two cover all six, in name order, once each.
		var all []string
		cursor := ""
		for {
			page, next, err := f.svc.Providers(ctx, f.owner, referrals.ProviderFilter{}, referrals.Page{Cursor: cursor, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, names(page)...)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(all) != 6 || !slices.IsSorted(all) {
			t.Fatalf("pages = %v", all)
		}

		if err := f.svc.DeleteProvider(ctx, f.adminB, mx); err != nil {
			t.Fatal(err)
		}
		arch, _, err := f.svc.Providers(ctx, f.owner, referrals.ProviderFilter{Archived: true}, referrals.Page{})
		if err != nil || len(arch) != 1 || arch[0].ID != mx || arch[0].ArchivedAt == nil {
			t.Fatalf("archived = %+v, %v", arch, err)
		}
		cur, _, _ := f.svc.Providers(ctx, f.owner, referrals.ProviderFilter{}, referrals.Page{})
		if len(cur) != 5 || slices.Contains(names(cur), "Psicólogos sin Fronteras") {
			t.Fatalf("current = %v", names(cur))
		}
	})
}
