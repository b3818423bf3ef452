// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import "slices"

// Sex values. "unknown" is the default: nobody is made to state it.
const (
	SexFemale  = "female"
	SexMale    = "male"
	SexOther   = "other"
	SexUnknown = "unknown"
)

// Sexes returns the sex values, in display order.
func Sexes() []string { return []string{SexFemale, SexMale, SexOther, SexUnknown} }

// Vulnerability is one entry of the controlled vocabulary of specific needs
// and risks a caseworker records, drawn from the categories the resolution
// names (¶4(a), children in immigration detention; ¶4(e) and ¶5, victims
// of violence and trafficking; ¶4(f), migrants caught in a crisis) and from
// the specific-needs codes protection agencies use. Labels live in the
// translation catalogue as "vulnerability.<code>".
type Vulnerability struct {
	Code string
	// Child marks codes that only apply to a person under 18.
	Child bool
}

// vulnerabilities is the vocabulary, in display order. Codes are stored,
// so an entry may be added but never renamed or removed.
var vulnerabilities = []Vulnerability{
	{Code: "unaccompanied_child", Child: true},
	{Code: "separated_child", Child: true},
	{Code: "child_head_of_household", Child: true},
	{Code: "child_at_risk", Child: true},
	{Code: "disability"},
	{Code: "pregnancy"},
	{Code: "older_person"},
	{Code: "serious_medical_condition"},
	{Code: "mental_health_condition"},
	{Code: "survivor_of_violence"},
	{Code: "survivor_of_sexual_violence"},
	{Code: "survivor_of_torture"},
	{Code: "victim_of_trafficking"},
	{Code: "stateless"},
	{Code: "single_parent"},
	{Code: "woman_at_risk"},
	{Code: "lgbtiq_at_risk"},
	{Code: "missing_family_member"},
	{Code: "without_legal_documents"},
}

// Vulnerabilities returns the vocabulary, in display order, as a copy.
func Vulnerabilities() []Vulnerability { return slices.Clone(vulnerabilities) }

// KnownVulnerability reports whether code is in the vocabulary.
func KnownVulnerability(code string) bool { return vulnerabilityRank(code) >= 0 }

func vulnerabilityRank(code string) int {
	return slices.IndexFunc(vulnerabilities, func(v Vulnerability) bool { return v.Code == code })
}

// sortVulnerabilities orders codes as the vocabulary does.
func sortVulnerabilities(codes []string) {
	slices.SortFunc(codes, func(a, b string) int { return vulnerabilityRank(a) - vulnerabilityRank(b) })
}

// Document types of identity and travel documents. Labels live in the
// translation catalogue as "document_type.<code>".
var documentTypes = []string{
	"passport",
	"national_id",
	"birth_certificate",
	"residence_permit",
	"refugee_id",
	"asylum_seeker_certificate",
	"travel_document",
	"consular_id",
	"driving_licence",
	"work_permit",
	"other",
}

// DocumentTypes returns the document types, in display order.
func DocumentTypes() []string { return slices.Clone(documentTypes) }

// Purpose is what a person consents to.
type Purpose string

// Consent purposes. A referral consent names the receiving organisation.
const (
	PurposeCaseManagement Purpose = "case_management"
	PurposeReferral       Purpose = "referral"
	PurposeStatistics     Purpose = "statistics"
)

// Purposes returns the consent purposes, in display order.
func Purposes() []Purpose {
	return []Purpose{PurposeCaseManagement, PurposeReferral, PurposeStatistics}
}

// ConsentStatus is whether a consent statement gives or withdraws consent.
type ConsentStatus string

// Consent statuses.
const (
	ConsentGiven     ConsentStatus = "given"
	ConsentWithdrawn ConsentStatus = "withdrawn"
)
