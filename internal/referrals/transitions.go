// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals

import "slices"

// Side is who moves a referral: the organisation that sent it or the one
// that receives it.
type Side string

// Sides.
const (
	SideSender   Side = "sender"
	SideReceiver Side = "receiver"
)

// Transition is one allowed status move and the side that may make it.
type Transition struct {
	From, To Status
	By       Side
}

// transitions is the workflow. Declined, completed and revoked are final:
// a new need is a new referral.
var transitions = []Transition{
	{StatusSent, StatusAccepted, SideReceiver},
	{StatusSent, StatusDeclined, SideReceiver},
	{StatusAccepted, StatusCompleted, SideReceiver},
	{StatusSent, StatusRevoked, SideSender},
	{StatusAccepted, StatusRevoked, SideSender},
}

// Transitions returns the allowed moves.
func Transitions() []Transition { return slices.Clone(transitions) }

// CanMove reports whether side may move a referral from from to to. For a
// provider outside Amparo the sender acts for the receiver too (it records
// the provider's answers); callers pass both sides then.
func CanMove(from, to Status, sides ...Side) bool {
	return slices.ContainsFunc(transitions, func(t Transition) bool {
		return t.From == from && t.To == to && slices.Contains(sides, t.By)
	})
}

// movable reports whether any side may move from from to to.
func movable(from, to Status) bool { return CanMove(from, to, SideSender, SideReceiver) }

// checkOutcome validates the code given with a move to to: required and
// from OutcomeCodes(to) when that status takes one, empty otherwise.
func checkOutcome(to Status, code string) string {
	codes := outcomeCodes[to]
	switch {
	case len(codes) == 0 && code != "":
		return CodeNotAllowed
	case len(codes) > 0 && code == "":
		return CodeRequired
	case len(codes) > 0 && !slices.Contains(codes, code):
		return CodeUnknown
	}
	return ""
}
