// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/fielderr"
)

// Operators a rule may compare with.
var Operators = []string{"==", "!=", "<", "<=", ">", ">="}

// Missing-value strategies: when a rule is skipped for an area and period.
const (
	SkipIfAnyMissing = "skip_if_any_missing"
	SkipIfAllMissing = "skip_if_all_missing"
	NeverSkip        = "never_skip"
)

// MissingStrategies lists the strategies in the order forms offer them.
func MissingStrategies() []string { return []string{SkipIfAnyMissing, SkipIfAllMissing, NeverSkip} }

// Importance of a rule's violations. An import fails on a high one.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// Importances lists the levels, highest first.
func Importances() []string { return []string{High, Medium, Low} }

// Languages a rule's name may be given in; English is required.
var Languages = []string{"en", "fr", "es", "ru", "ar", "zh"}

// Rule is a validation rule.
type Rule struct {
	ID, Code            string
	Names               map[string]string // by language
	Left, Operator      string
	Right               string
	Missing, Importance string
	Active, Shipped     bool
	CreatedBy           string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Name is the rule's name in lang, or in English when it has none there.
func (r Rule) Name(lang string) string {
	if n := r.Names[lang]; n != "" {
		return n
	}
	return r.Names["en"]
}

// Input is what a user gives for a new or changed rule.
type Input struct {
	Code                string
	Names               map[string]string
	Left, Operator      string
	Right               string
	Missing, Importance string
	Active              bool
}

var codeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_.-]{0,39}$`)

const maxName = 200

// check normalises in and returns its field errors (without the checks
// that need the series registry), and the parsed expressions.
func (in *Input) check() (*fielderr.Error, *expr.Expr, *expr.Expr) {
	var e fielderr.Error
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	if in.Code == "" {
		e.Add("code", CodeRequired)
	} else if !codeRE.MatchString(in.Code) {
		e.Add("code", fielderr.CodeInvalid)
	}
	names := map[string]string{}
	for lang, n := range in.Names {
		if !slices.Contains(Languages, lang) {
			e.Add("names."+lang, fielderr.CodeInvalid)
			continue
		}
		if n = e.Text("names."+lang, n, maxName, false); n != "" {
			names[lang] = n
		}
	}
	in.Names = names
	if names["en"] == "" {
		e.Add("names.en", CodeRequired)
	}
	left := parseField(&e, "left_expr", &in.Left)
	right := parseField(&e, "right_expr", &in.Right)
	if !slices.Contains(Operators, in.Operator) {
		e.Add("operator", fielderr.CodeInvalid)
	}
	if in.Missing == "" {
		in.Missing = SkipIfAnyMissing
	}
	if !slices.Contains(MissingStrategies(), in.Missing) {
		e.Add("missing", fielderr.CodeInvalid)
	}
	if in.Importance == "" {
		in.Importance = Medium
	}
	if !slices.Contains(Importances(), in.Importance) {
		e.Add("importance", fielderr.CodeInvalid)
	}
	return &e, left, right
}

// parseField parses an expression field and stores its canonical form.
func parseField(e *fielderr.Error, field string, s *string) *expr.Expr {
	if strings.TrimSpace(*s) == "" {
		e.Add(field, CodeRequired)
		return nil
	}
	x, err := expr.Parse(*s)
	if err != nil {
		e.Add(field, CodeSyntax)
		return nil
	}
	*s = x.String()
	return x
}
