// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"fmt"
	"math"
	"slices"

	"github.com/amparo-project/amparo/internal/expr"
)

// Violation is a rule that does not hold for an area and period. Left or
// Right is nil when that side could not be computed (a division by zero).
type Violation struct {
	RuleID, RuleCode string
	Importance       string
	Operator         string
	Area, Period     string
	Left, Right      *float64
}

// compiled is a rule ready to evaluate.
type compiled struct {
	rule        Rule
	left, right *expr.Expr
	refs        []expr.Ref // of both sides, distinct
	series      []string   // the series refs name, distinct and sorted
}

func compile(r Rule) (compiled, error) {
	left, err := expr.Parse(r.Left)
	if err != nil {
		return compiled{}, fmt.Errorf("validation: rule %s: left: %w", r.Code, err)
	}
	right, err := expr.Parse(r.Right)
	if err != nil {
		return compiled{}, fmt.Errorf("validation: rule %s: right: %w", r.Code, err)
	}
	c := compiled{rule: r, left: left, right: right}
	seen := map[expr.Ref]bool{}
	for _, ref := range append(left.Refs(), right.Refs()...) {
		if !seen[ref] {
			seen[ref] = true
			c.refs = append(c.refs, ref)
		}
		if !slices.Contains(c.series, ref.Series) {
			c.series = append(c.series, ref.Series)
		}
	}
	slices.Sort(c.series)
	return c, nil
}

// outcome of a rule for one area and period.
type outcome int

const (
	skipped outcome = iota
	holds
	violated
)

// check evaluates the rule with the values of one area and period.
func (c compiled) check(lookup func(expr.Ref) (float64, bool)) (outcome, *float64, *float64) {
	missing := 0
	for _, r := range c.refs {
		if _, ok := lookup(r); !ok {
			missing++
		}
	}
	l, _, lerr := c.left.Eval(lookup)
	r, _, rerr := c.right.Eval(lookup)
	switch c.rule.Missing {
	case SkipIfAnyMissing:
		if missing > 0 || lerr != nil || rerr != nil {
			return skipped, nil, nil
		}
	case SkipIfAllMissing:
		if (len(c.refs) > 0 && missing == len(c.refs)) || lerr != nil || rerr != nil {
			return skipped, nil, nil
		}
	}
	lp, rp := valuePtr(l, lerr), valuePtr(r, rerr)
	if lp == nil || rp == nil || !compare(l, c.rule.Operator, r) {
		return violated, lp, rp
	}
	return holds, lp, rp
}

func valuePtr(v float64, err error) *float64 {
	if err != nil {
		return nil
	}
	return &v
}

// tolerance is the relative difference under which two values are equal:
// sums of shares and rounded published figures differ in the last digits.
const tolerance = 1e-9

func approxEqual(a, b float64) bool {
	return a == b || math.Abs(a-b) <= tolerance*math.Max(math.Abs(a), math.Abs(b))
}

// compare applies op to l and r, treating nearly equal values as equal.
func compare(l float64, op string, r float64) bool {
	eq := approxEqual(l, r)
	switch op {
	case "==":
		return eq
	case "!=":
		return !eq
	case "<":
		return l < r && !eq
	case "<=":
		return l < r || eq
	case ">":
		return l > r && !eq
	case ">=":
		return l > r || eq
	}
	return false
}
