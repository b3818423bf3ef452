// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
)

// PermWrite lets a user create, change and delete indicators (analysts and
// system administrators, in internal/access/permissions.json).
const PermWrite access.Permission = "indicator.write"

// PermObservationRead lets a user see working (unpublished) values, live
// values among them.
const PermObservationRead access.Permission = "observation.read"

// Kinds after the OHCHR model (HR/PUB/12/5): commitments made, efforts
// under way, results obtained.
const (
	Structural = "structural"
	Process    = "process"
	Outcome    = "outcome"
)

// Kinds lists the kinds in the order pages offer them.
func Kinds() []string { return []string{Structural, Process, Outcome} }

// Computations: how a value comes about.
const (
	Entered     = "entered"
	Formula     = "formula"
	Live        = "live"
	Commitments = "commitments"
	Composite   = "composite"
)

// Computations lists the computations in the order pages offer them.
func Computations() []string { return []string{Entered, Formula, Live, Commitments, Composite} }

// Aggregation rules: how a region's value is formed from its countries'.
const (
	Sum          = "sum"
	WeightedMean = "weighted_mean"
	NoAggregate  = "none"
)

// Aggregations lists the rules.
func Aggregations() []string { return []string{Sum, WeightedMean, NoAggregate} }

// Polarities: which direction is better.
const (
	Higher  = "higher"
	Lower   = "lower"
	Neutral = "neutral"
)

// Polarities lists the polarities.
func Polarities() []string { return []string{Higher, Lower, Neutral} }

// Languages are the six in which names, definitions and methods are kept.
var Languages = []string{"en", "fr", "es", "ru", "ar", "zh"}

// Errors callers map to responses.
var (
	ErrNotFound  = errors.New("indicators: not found")
	ErrForbidden = errors.New("indicators: not permitted")
	ErrConflict  = errors.New("indicators: code already in use")
	// ErrShipped: a shipped indicator comes back at every start, so it
	// cannot be deleted (it can be edited).
	ErrShipped = errors.New("indicators: a shipped indicator cannot be deleted")
	// ErrNotComputable is the answer for a value that cannot be computed
	// here: a live indicator on the published layer, or by someone who
	// may not read working data.
	ErrNotComputable = errors.New("indicators: value not available")
)

// Indicator is one entry of the registry.
type Indicator struct {
	Code string
	Kind string
	// Names, Definitions and Methods are keyed by language code.
	Names, Definitions, Methods map[string]string
	Unit                        string // SDMX UNIT_MEASURE: PT, NUMBER, USD, DAYS, SCORE, RATIO…
	UnitMult                    int
	Polarity                    string
	TargetValue                 *float64
	TargetYear                  int
	// Disaggregations are the dimension codes of observations.Dimensions
	// its series may be broken down by.
	Disaggregations []string
	Custodian       string
	Source          string
	Computation     string
	// Expression is the formula (Formula), the live measure (Live), the
	// commitments measure (Commitments) or the scoring method (Composite).
	Expression   string
	Aggregation  string
	WeightSeries string
	// Nodes are framework node ids ("SDG:10.7", "A68190:7").
	Nodes []string
	// Series are the codes of its series, first the main one.
	Series    []string
	Shipped   bool
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name is the indicator's name in lang, else in English.
func (in Indicator) Name(lang string) string { return pick(in.Names, lang) }

// Definition is the definition in lang, else in English.
func (in Indicator) Definition(lang string) string { return pick(in.Definitions, lang) }

// Method is the method in lang, else in English.
func (in Indicator) Method(lang string) string { return pick(in.Methods, lang) }

// MainSeries is the code of its first series, "" when it has none.
func (in Indicator) MainSeries() string {
	if len(in.Series) == 0 {
		return ""
	}
	return in.Series[0]
}

func pick(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	return m["en"]
}

// Series is one measured quantity of an indicator.
type Series struct {
	Code      string
	Indicator string
	Names     map[string]string
	Unit      string
	UnitMult  int
	Position  int
}

// Name is the series' name in lang, else in English.
func (s Series) Name(lang string) string { return pick(s.Names, lang) }

// Filter narrows List. Empty fields match everything.
type Filter struct {
	// Query matches the code or a name (any language), case-insensitively.
	Query       string
	Kind        string
	Computation string
	// Node keeps indicators linked to this framework node id.
	Node string
	// Sort is "code" (the default), "name" or "kind".
	Sort string
	// Lang is the language names are sorted and matched in.
	Lang string
}
