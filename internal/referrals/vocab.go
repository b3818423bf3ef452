// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals

import "slices"

// Vocabularies. Codes are stored, so an entry may be added but never
// renamed or removed; labels live in the translation catalogue under the
// prefix each list names.

// serviceTypes are the services a referral asks for (res. ¶7), in display
// order; labels "service_type.<code>".
var serviceTypes = []string{
	"medical",
	"psychosocial",
	"legal",
	"shelter",
	"education",
	"documentation",
	"family_tracing",
	"livelihood",
	"return_reintegration",
}

// ServiceTypes returns the service types, in display order.
func ServiceTypes() []string { return slices.Clone(serviceTypes) }

// KnownServiceType reports whether code is a service type.
func KnownServiceType(code string) bool { return slices.Contains(serviceTypes, code) }

func sortServiceTypes(codes []string) {
	slices.SortFunc(codes, func(a, b string) int {
		return slices.Index(serviceTypes, a) - slices.Index(serviceTypes, b)
	})
}

// overrideReasons are the only grounds on which a referral may be sent
// without the person's consent; labels "referral.override_reason.<code>".
var overrideReasons = []string{
	"life_threatening_emergency",
	"child_protection_emergency",
	"legal_obligation",
}

// OverrideReasons returns the reasons for referring without consent.
func OverrideReasons() []string { return slices.Clone(overrideReasons) }

// Status is where a referral stands.
type Status string

// Statuses.
const (
	StatusSent      Status = "sent"
	StatusAccepted  Status = "accepted"
	StatusDeclined  Status = "declined"
	StatusCompleted Status = "completed"
	StatusRevoked   Status = "revoked"
)

// Statuses returns every status, in workflow order.
func Statuses() []Status {
	return []Status{StatusSent, StatusAccepted, StatusDeclined, StatusCompleted, StatusRevoked}
}

// Valid reports whether s is a status.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// outcomeCodes are the codes a move to each status takes (none for
// accepted): why it was declined or revoked, or what came of it; labels
// "referral.outcome.<code>". Codes, not text, so that no one writes
// personal data into them.
var outcomeCodes = map[Status][]string{
	StatusDeclined: {"no_capacity", "not_eligible", "service_not_offered", "out_of_area", "other"},
	StatusCompleted: {"service_provided", "partially_provided", "person_did_not_attend", "person_withdrew",
		"referred_onward", "not_provided"},
	StatusRevoked: {"consent_withdrawn", "no_longer_needed", "referred_elsewhere", "sent_in_error", "other"},
}

// OutcomeCodes returns the codes a move to status takes, in display order;
// nil for a status that takes none.
func OutcomeCodes(to Status) []string { return slices.Clone(outcomeCodes[to]) }

// ConsentBasis is why sending a referral was lawful.
type ConsentBasis string

// Consent bases.
const (
	// BasisInternal: the provider is the sending organisation itself.
	BasisInternal ConsentBasis = "internal"
	// BasisConsent: the person consented to referral to the receiving
	// organisation.
	BasisConsent ConsentBasis = "consent"
	// BasisOverride: sent without consent by a user holding
	// referral.override_consent, for a reason in OverrideReasons.
	BasisOverride ConsentBasis = "override"
)
