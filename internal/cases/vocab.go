// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import "slices"

// Status is where a case stands in the workflow.
type Status string

// The workflow's statuses, in the order a case usually passes them.
const (
	StatusNew        Status = "new"
	StatusAssessment Status = "assessment"
	StatusCasePlan   Status = "case_plan"
	StatusServices   Status = "services"
	StatusClosed     Status = "closed"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusNew, StatusAssessment, StatusCasePlan, StatusServices, StatusClosed}

// Valid reports whether s is a status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Move is the kind of a workflow transition.
type Move string

// Kinds of transitions. A close is never made directly: it takes a
// closure request and an approval (RequestClosure, ApproveClosure).
const (
	MoveAdvance  Move = "advance"
	MoveStepBack Move = "step_back"
	MoveClose    Move = "close"
	MoveReopen   Move = "reopen"
)

// Transition is one allowed change of status.
type Transition struct {
	From, To Status
	Move     Move
}

// Transitions is the workflow: every allowed change of status, and nothing
// else. A case advances one step at a time; it may step back from the plan
// to a new assessment, or from services to a revised plan, when the
// person's situation changes; it may close from any open status (a
// duplicate, a person who moved on) once a supervisor approves; and a
// closed case reopens into assessment, since whatever brought the person
// back needs assessing first.
var Transitions = []Transition{
	{StatusNew, StatusAssessment, MoveAdvance},
	{StatusAssessment, StatusCasePlan, MoveAdvance},
	{StatusCasePlan, StatusServices, MoveAdvance},
	{StatusCasePlan, StatusAssessment, MoveStepBack},
	{StatusServices, StatusCasePlan, MoveStepBack},
	{StatusNew, StatusClosed, MoveClose},
	{StatusAssessment, StatusClosed, MoveClose},
	{StatusCasePlan, StatusClosed, MoveClose},
	{StatusServices, StatusClosed, MoveClose},
	{StatusClosed, StatusAssessment, MoveReopen},
}

// TransitionOf returns the kind of move from one status to another, and
// false when the workflow does not allow it.
func TransitionOf(from, to Status) (Move, bool) {
	for _, t := range Transitions {
		if t.From == from && t.To == to {
			return t.Move, true
		}
	}
	return "", false
}

// Risk is the caseworker's assessment of the danger the person is in.
type Risk string

// Risk levels. RiskUnassessed (the empty string) is a case whose risk has
// not been assessed yet, as at intake.
const (
	RiskUnassessed Risk = ""
	RiskLow        Risk = "low"
	RiskMedium     Risk = "medium"
	RiskHigh       Risk = "high"
	RiskCritical   Risk = "critical"
)

// Risks lists the assessed levels, from lowest to highest.
var Risks = []Risk{RiskLow, RiskMedium, RiskHigh, RiskCritical}

// Valid reports whether r is a level or unassessed.
func (r Risk) Valid() bool { return r == RiskUnassessed || slices.Contains(Risks, r) }

// Concern is a protection concern: a code from a controlled vocabulary, so
// that cases can be counted and filtered by it across organisations.
type Concern string

// ConcernInfo is a protection concern with the part of the seed texts that
// calls for protection against it (A/68/190's agenda points; "res." is the
// resolution "Protection of migrants").
type ConcernInfo struct {
	Code Concern
	Seed string
}

// Concerns is the controlled vocabulary of protection concerns. Codes are
// stored in cases and in statistics: never rename or remove one, only add.
// Labels in each language belong to the translation files, under
// "concern.<code>".
var Concerns = []ConcernInfo{
	{"detention", "A/68/190 point 1; res. ¶4(a)–(d)"},
	{"consular_access", "res. ¶4(g)"},
	{"abuse_in_transit", "res. ¶4(e)"},
	{"abduction", "res. ¶4(b), ¶7"},
	{"labour_exploitation", "A/68/190 point 3; res. ¶4(h)"},
	{"trafficking", "A/68/190 point 3; res. ¶5(a)(b), ¶7, ¶8"},
	{"smuggling", "res. ¶7, ¶8"},
	{"gender_based_violence", "res. ¶5(d)(e)"},
	{"child_protection", "A/68/190 point 1; res. ¶5(f)–(i)"},
	{"family_separation", "res. ¶5(c)(i)"},
	{"documentation", "res. ¶4(c)(d), ¶4(g)"},
	{"health", "A/68/190 point 1; res. ¶7"},
	{"education", "A/68/190 point 1; res. ¶5(g)(h)"},
	{"legal_status", "res. ¶3(b), ¶4"},
	{"access_to_justice", "res. ¶4(j), ¶5(b)"},
	{"refoulement_risk", "A/68/190 point 1"},
	{"xenophobic_violence", "A/68/190 point 5; res. ¶3(a)"},
	{"discrimination", "A/68/190 point 1; res. ¶2, ¶3(a)"},
	{"stranded_in_crisis", "A/68/190 point 4; res. ¶4(f)"},
	{"return_reintegration", "A/68/190 point 4; res. ¶4(f)"},
}

// Valid reports whether c is in the vocabulary.
func (c Concern) Valid() bool {
	return slices.ContainsFunc(Concerns, func(i ConcernInfo) bool { return i.Code == c })
}

// PersonRole is what a person is to a case.
type PersonRole string

// Roles of persons in a case: the principal is the person the case is
// about (at most one per case); family members and members of a group
// travelling together are linked to the same case so that the family or
// group is helped, and kept together, as one.
const (
	RolePrincipal    PersonRole = "principal"
	RoleFamilyMember PersonRole = "family_member"
	RoleGroupMember  PersonRole = "group_member"
)

// PersonRoles lists every role.
var PersonRoles = []PersonRole{RolePrincipal, RoleFamilyMember, RoleGroupMember}

// Valid reports whether r is a role.
func (r PersonRole) Valid() bool { return slices.Contains(PersonRoles, r) }

// Relation is how a linked person is related to the case's principal.
type Relation string

// Relations to the principal. The principal has none (the empty string).
const (
	RelationNone          Relation = ""
	RelationSpouse        Relation = "spouse"
	RelationPartner       Relation = "partner"
	RelationChild         Relation = "child"
	RelationParent        Relation = "parent"
	RelationSibling       Relation = "sibling"
	RelationGrandparent   Relation = "grandparent"
	RelationGrandchild    Relation = "grandchild"
	RelationOtherRelative Relation = "other_relative"
	RelationGuardian      Relation = "guardian"
	RelationNotRelated    Relation = "not_related"
	RelationOther         Relation = "other"
)

// Relations lists every relation a linked person may have.
var Relations = []Relation{RelationSpouse, RelationPartner, RelationChild, RelationParent, RelationSibling,
	RelationGrandparent, RelationGrandchild, RelationOtherRelative, RelationGuardian, RelationNotRelated, RelationOther}

// checkLink validates a role and relation together: the principal has no
// relation, a family member must say how they are related, and a member
// of a group may say so or not. It returns the field and code of the
// first problem, or "" when the pair is valid.
func checkLink(role PersonRole, rel Relation) (field, code string) {
	switch {
	case role == "":
		return "role", CodeRequired
	case !role.Valid():
		return "role", CodeUnknown
	case rel != RelationNone && !slices.Contains(Relations, rel):
		return "relation", CodeUnknown
	case role == RolePrincipal && rel != RelationNone:
		return "relation", CodeNotAllowed
	case role == RoleFamilyMember && (rel == RelationNone || rel == RelationNotRelated):
		return "relation", CodeRequired
	}
	return "", ""
}

// ClosureReason is why a case closes.
type ClosureReason string

// Reasons for closing a case.
const (
	ClosureObjectivesMet     ClosureReason = "objectives_met"
	ClosureReferredElsewhere ClosureReason = "referred_elsewhere"
	ClosureReturned          ClosureReason = "returned"
	ClosureRelocated         ClosureReason = "relocated"
	ClosureLostContact       ClosureReason = "lost_contact"
	ClosureDeclinedServices  ClosureReason = "declined_services"
	ClosureDeceased          ClosureReason = "deceased"
	ClosureDuplicate         ClosureReason = "duplicate"
	ClosureOther             ClosureReason = "other"
)

// ClosureReasons lists every reason.
var ClosureReasons = []ClosureReason{ClosureObjectivesMet, ClosureReferredElsewhere, ClosureReturned,
	ClosureRelocated, ClosureLostContact, ClosureDeclinedServices, ClosureDeceased, ClosureDuplicate, ClosureOther}

// Valid reports whether r is a reason.
func (r ClosureReason) Valid() bool { return slices.Contains(ClosureReasons, r) }

// TransferStatus is where an offer of a case to another organisation
// stands.
type TransferStatus string

// Transfer statuses: an offer is pending until the receiving organisation
// accepts or declines it, or the offering one withdraws it.
const (
	TransferPending   TransferStatus = "pending"
	TransferAccepted  TransferStatus = "accepted"
	TransferDeclined  TransferStatus = "declined"
	TransferWithdrawn TransferStatus = "withdrawn"
)
