// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/referrals"
)

// caseProtectionSamples are views of the protection tabs in their states,
// for the test that renders every page in every language: with records of
// every kind, status and outcome the domains know, with errors beside the
// fields, and empty.
func caseProtectionSamples(now time.Time) map[page][]view {
	loc := i18n.MustLoad().Locale(i18n.Default)
	h := caseHeader{ID: "c1", Number: "2026-00001", Status: "assessment", Risk: "high", Tabs: caseTabs, Alerts: 2}
	persons := []option{{Value: "p1", Label: "Person 1: Principal"}}
	end := now.Add(-time.Hour)
	var alerts []alertRow
	for _, k := range []detention.AlertKind{detention.AlertChildInImmigrationDetention, detention.AlertPastLegalMaximum,
		detention.AlertApproachingLegalMaximum, detention.AlertNoJudicialReview, detention.AlertConsularRightNotTold,
		detention.AlertConsulateNotNotified} {
		alerts = append(alerts, alertRow{Kind: string(k), Priority: detention.PriorityOf(k).String(), Since: now, Due: now,
			Child: "possible_child", Person: "Person 1: Principal", Episode: "Prison, Mexico, from 2 March 2026"})
	}
	var eps []episodeRow
	for _, child := range []detention.ChildStatus{detention.ChildYes, detention.ChildPossible, detention.ChildNo,
		detention.ChildUnknown} {
		eps = append(eps, episodeRow{ID: "e1", Person: "Person 1", FacilityType: string(detention.FacilityTypes[len(eps)]),
			Country: "Mexico", Authority: "INM", LegalBasis: "Ley de Migración, art. 99", Start: now, Immigration: true,
			Days: len(eps), Limit: &legalLimitView{MaxDays: 15 * len(eps), Source: sourceParts("https://example.org/law"),
				AsOf: now}, Exceeded: true, Reviews: []time.Time{now, now}, Child: string(child),
			Alternatives: []detention.Alternative{{Kind: detention.AltBail, Considered: true}, {Kind: detention.AltRelease,
				Considered: true, Applied: true}}})
	}
	eps = append(eps, episodeRow{ID: "e2", FacilityType: string(detention.FacilityOther), Start: now, End: &end,
		Child: "unknown", Immigration: true}, episodeRow{ID: "e3", FacilityType: string(detention.FacilityPrison),
		Start: now, Child: "adult"})
	epValues := map[string]string{"facility_type": "prison", "start": "2026-03-01", "immigration_related": yes,
		"review_0": "2026-03-02", "alt_bail": altApplied}
	epForm := newEpisodeForm(loc, persons, epValues)
	epFields := map[string]string{"person_id": "not_in_case", "facility_type": "unknown_facility_type",
		"facility_country": "unknown_country", "authority": "too_long", "start": "invalid_date", "end": "before_start",
		"legal_basis": "control_characters", "judicial_reviews": "too_many", "review_0": "duplicate", "alt_bail": "invalid"}

	var notes []notificationRow
	for _, s := range []detention.Status{detention.StatusInTime, detention.StatusLate, detention.StatusOverdue,
		detention.StatusPending, detention.StatusNotRequired, detention.StatusUndetermined} {
		notes = append(notes, notificationRow{ID: "n1", Nationality: "Honduras", Consulate: "Consulado general",
			ArrestedAt: now, ToldAt: &now, NotifiedAt: &now, FirstContactAt: &now, Requested: yes, Mandatory: true,
			NotifiedAgainstWish: true, Told: string(s), Notified: string(s), NotificationRequired: string(detention.Yes),
			ToldDeadline: now, NotifyDeadline: now})
	}
	notes = append(notes, notificationRow{ID: "n2", Nationality: "Guatemala", ArrestedAt: now, Requested: requestedNo,
		Told: "pending", Notified: "not_required", NotificationRequired: "no"},
		notificationRow{ID: "n3", Nationality: "El Salvador", ArrestedAt: now, Told: "pending",
			Notified: "undetermined", NotificationRequired: "unknown"})
	nForm := newNotificationForm(loc, []option{{Value: "e1", Label: "Prison, Mexico"}})
	nFields := map[string]string{"episode_id": "required", "nationality": "same_as_detaining_country",
		"consulate": "too_long", "arrested_at": "future", "told_at": "before_arrest", "requested": "invalid",
		"notified_at": errInvalidDateTime, "first_contact_at": "before_arrest"}

	var refs []referralRow
	for _, st := range referrals.Statuses() {
		for _, code := range append(referrals.OutcomeCodes(st), "") {
			refs = append(refs, referralRow{ID: "r1", Person: "Person 1", ServiceType: "legal", Provider: "Clínica",
				Status: string(st), Outcome: code, Basis: string(referrals.BasisConsent), SentAt: now, UpdatedAt: now,
				DueAt: &now, Moves: []string{"accepted", "declined", "completed", "revoked"}})
		}
	}
	for i, t := range referrals.ServiceTypes() {
		refs = append(refs, referralRow{ID: "r2", ServiceType: t, Status: "sent", Basis: string(referrals.BasisInternal),
			External: i%2 == 0})
	}
	for _, reason := range referrals.OverrideReasons() {
		refs = append(refs, referralRow{ID: "r3", ServiceType: "shelter", Status: "sent",
			Basis: string(referrals.BasisOverride), OverrideReason: reason})
	}
	rForm := referralForm{Persons: persons, ServiceTypes: codeOptions(loc, "service_type.", referrals.ServiceTypes()),
		Providers:       []option{{Value: "pr1", Label: "Clínica (Mexico)"}},
		OverrideReasons: codeOptions(loc, "referral.override_reason.", referrals.OverrideReasons())}
	var moves []view
	for _, to := range []referrals.Status{referrals.StatusAccepted, referrals.StatusDeclined, referrals.StatusCompleted,
		referrals.StatusRevoked} {
		moves = append(moves, view{Data: &referralMoveData{Header: h, Referral: refs[0], To: string(to),
			Codes: codeOptions(loc, "referral.outcome.", referrals.OutcomeCodes(to))},
			Fields: map[string]string{"code": "required"}, Error: "invalid_transition"})
	}
	provider := providerRow{ID: "pr1", Name: "Clínica", Country: "Mexico", Admin1: "Chiapas", Address: "Calle 1",
		Phone: "+52 962 000 0000", Email: "info@example.org", Website: "https://example.org", OpeningHours: "Mon–Fri",
		ServiceTypes: referrals.ServiceTypes(), Languages: []string{"es", "en"}, InAmparo: true}

	return map[page][]view{
		pageCaseDetention: {
			{Data: &detentionData{Header: h, Alerts: alerts, Episodes: eps, CanWrite: true, Form: epForm},
				Values: epValues, Fields: epFields, Error: "closed"},
			{Data: &detentionData{Header: h, Form: newEpisodeForm(loc, nil, nil), CanWrite: true}},
			{Data: &detentionData{Header: h}},
			{},
		},
		pageCaseEpisode: {
			{Data: &episodeEditData{Header: h, ID: "e1", Person: "Person 1", Form: newEpisodeForm(loc, nil, epValues)},
				Values: epValues, Fields: epFields},
			{},
		},
		pageCaseConsular: {
			{Data: &consularData{Header: h, Alerts: alerts[4:], CanWrite: true, Form: nForm,
				Episodes: []consularEpisode{{ID: "e1", Label: "Prison, Mexico", Person: "Person 1", Notifications: notes},
					{ID: "e2", Label: "Other"}}}, Fields: nFields, Values: map[string]string{"requested": requestedNo}},
			{Data: &consularData{Header: h, CanWrite: true}},
			{},
		},
		pageCaseNotification: {
			{Data: &notificationEditData{Header: h, ID: "n1", Episode: "Prison, Mexico", Form: newNotificationForm(loc, nil)},
				Fields: nFields},
			{},
		},
		pageCaseReferrals: {
			{Data: &referralsData{Header: h, Referrals: refs, CanWrite: true, Override: true, Form: rForm},
				Fields: map[string]string{"consent": "consent_required", "override_reason": "not_allowed",
					"person_id": "not_in_case", "service_type": "unknown", "provider_id": "archived", "due_at": "past"}},
			{Data: &referralsData{Header: h, CanWrite: true, Form: rForm}, Fields: map[string]string{"consent": "consent_required",
				"provider_id": "not_offered"}},
			{Data: &referralsData{Header: h}},
			{},
		},
		pageCaseReferralMove: append(moves, view{}),
		pageCaseServices: {
			{Data: &servicesData{Header: h, Received: refs[:3], Providers: []providerRow{provider, {ID: "pr2", Name: "Refugio"}},
				ServiceTypes: rForm.ServiceTypes, Countries: countryOptions("en"), Next: "/cases/c1/services?after=x"},
				Fields: map[string]string{"service_type": "unknown", "country": "unknown_country"}},
			{Data: &servicesData{Header: h}},
			{},
		},
	}
}

// TestProtectionCodesHaveMessages checks that every code of the detention
// and referral domains the protection tabs can show has words of its own
// in every language: the field errors, and the vocabularies.
func TestProtectionCodesHaveMessages(t *testing.T) {
	t.Parallel()
	var keys []string
	add := func(prefix string, codes ...string) {
		for _, c := range codes {
			keys = append(keys, prefix+c)
		}
	}
	add("field.", detention.CodeRequired, detention.CodeTooLong, detention.CodeTooMany, detention.CodeTooLarge,
		detention.CodeTooSmall, detention.CodeControlChars, detention.CodeUnknownCountry, detention.CodeUnknownFacility,
		detention.CodeUnknownAlternative, detention.CodeDuplicate, detention.CodeInvalidDate, detention.CodeFuture,
		detention.CodeBeforeStart, detention.CodeBeforeArrest, detention.CodeSameCountry, detention.CodeInvalid,
		detention.CodeNotInCase, referrals.CodeUnknown, referrals.CodeNotFound, referrals.CodeNotAllowed,
		referrals.CodeNotInCase, referrals.CodeNotOffered, referrals.CodeArchived, referrals.CodePast,
		referrals.CodeUnknownCountry, errInvalidDateTime)
	add("error.", referrals.CodeClosed, referrals.CodeInvalidTransition)
	for _, k := range []detention.AlertKind{detention.AlertChildInImmigrationDetention, detention.AlertPastLegalMaximum,
		detention.AlertApproachingLegalMaximum, detention.AlertNoJudicialReview, detention.AlertConsularRightNotTold,
		detention.AlertConsulateNotNotified} {
		add("protection.alert.", string(k))
		add("protection.alert_detail.", string(k))
		add("protection.priority.", detention.PriorityOf(k).String())
	}
	for _, f := range detention.FacilityTypes {
		add("detention.facility.", string(f))
	}
	for _, a := range detention.AlternativeKinds {
		add("detention.alternative.", string(a))
	}
	for _, c := range []detention.ChildStatus{detention.ChildYes, detention.ChildPossible, detention.ChildNo,
		detention.ChildUnknown} {
		add("detention.child.", string(c))
	}
	for _, s := range []detention.Status{detention.StatusInTime, detention.StatusLate, detention.StatusOverdue,
		detention.StatusPending, detention.StatusNotRequired, detention.StatusUndetermined} {
		add("consular.status.", string(s))
	}
	add("service_type.", referrals.ServiceTypes()...)
	add("referral.override_reason.", referrals.OverrideReasons()...)
	for _, s := range referrals.Statuses() {
		add("referral.status.", string(s))
		add("referral.outcome.", referrals.OutcomeCodes(s)...)
	}
	for _, tr := range referrals.Transitions() {
		add("referral.move.", string(tr.To))
		add("referral.move_text.", string(tr.To))
		if len(referrals.OutcomeCodes(tr.To)) > 0 {
			add("referral.code_label.", string(tr.To))
		}
	}
	for _, b := range []referrals.ConsentBasis{referrals.BasisInternal, referrals.BasisConsent, referrals.BasisOverride} {
		add("referral.basis.", string(b))
	}
	cat := i18n.MustLoad()
	for _, lang := range i18n.Languages {
		for _, key := range keys {
			if !cat.Locale(lang.Code).Has(key) {
				t.Errorf("%s has no message %s", lang.Code, key)
			}
		}
	}
}
