// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/i18n"
)

// The vocabularies. Their names are stored nowhere but in the vocabulary
// table and the API's paths; the codes of their terms are stored in the
// records.
const (
	VocabActType             = "act_type"
	VocabRight               = "right"
	VocabConsequence         = "consequence"
	VocabInvolvement         = "involvement"
	VocabPerpetratorCategory = "perpetrator_category"
	VocabSourceType          = "source_type"
	VocabReliability         = "source_reliability"
	VocabCredibility         = "source_credibility"
	VocabInterventionType    = "intervention_type"
	VocabInterventionStatus  = "intervention_status"
	VocabPersonRole          = "person_role"
)

// vocabularyNames lists the vocabularies in the order pages show them.
var vocabularyNames = []string{VocabActType, VocabRight, VocabConsequence, VocabPerpetratorCategory,
	VocabInvolvement, VocabSourceType, VocabReliability, VocabCredibility, VocabInterventionType,
	VocabInterventionStatus, VocabPersonRole}

// XenophobiaBranch is the act-type code under which xenophobic and racist
// incidents are filed (agenda 5; res. ¶5(b)), for the statistics that set
// them beside perception surveys.
const XenophobiaBranch = "70"

// Vocabulary describes one vocabulary. Hierarchical ones have dotted codes
// ("20.10" is under "20"); terms can be added to Extensible ones. The
// Admiralty scales and the intervention workflow are fixed.
type Vocabulary struct {
	Name         string
	Hierarchical bool
	Extensible   bool
}

// Vocabularies returns every vocabulary, in display order.
func Vocabularies() []Vocabulary {
	out := make([]Vocabulary, len(vocabularyNames))
	for i, name := range vocabularyNames {
		sv := shipped[name]
		out[i] = Vocabulary{Name: name, Hierarchical: sv.hierarchical, Extensible: sv.extensible}
	}
	return out
}

// LookupVocabulary returns the vocabulary called name.
func LookupVocabulary(name string) (Vocabulary, bool) {
	sv, ok := shipped[name]
	if !ok {
		return Vocabulary{}, false
	}
	return Vocabulary{Name: name, Hierarchical: sv.hierarchical, Extensible: sv.extensible}, true
}

//go:embed vocabularies.json
var vocabulariesJSON []byte

// shippedVocab is a vocabulary as shipped: its terms in display order.
type shippedVocab struct {
	hierarchical, extensible bool
	terms                    []shippedTerm
	index                    map[string]int
}

// shippedTerm is a shipped term with its label in each language.
type shippedTerm struct {
	code   string
	labels map[string]string
}

var shipped = mustLoadVocabularies(vocabulariesJSON)

// mustLoadVocabularies reads the shipped vocabularies; a term without a
// label in one of the six languages, a duplicate code, a hierarchical code
// whose parent is missing or a missing vocabulary is a fault of the
// shipped file, which must stop the start.
func mustLoadVocabularies(b []byte) map[string]shippedVocab {
	out, err := loadVocabularies(b)
	if err != nil {
		panic(fmt.Sprintf("violations: vocabularies.json: %v", err))
	}
	return out
}

func loadVocabularies(b []byte) (map[string]shippedVocab, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	out := map[string]shippedVocab{}
	for _, name := range vocabularyNames {
		raw, ok := doc[name]
		if !ok {
			return nil, fmt.Errorf("vocabulary %s missing", name)
		}
		var v struct {
			Hierarchical bool                `json:"hierarchical"`
			Extensible   bool                `json:"extensible"`
			Terms        []map[string]string `json:"terms"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("vocabulary %s: %w", name, err)
		}
		sv := shippedVocab{hierarchical: v.Hierarchical, extensible: v.Extensible, index: map[string]int{}}
		for _, t := range v.Terms {
			code := t["code"]
			if code == "" || hasAddedSegment(code) {
				return nil, fmt.Errorf("vocabulary %s: bad code %q", name, code)
			}
			if _, dup := sv.index[code]; dup {
				return nil, fmt.Errorf("vocabulary %s: code %s twice", name, code)
			}
			if parent := parentOf(code); v.Hierarchical && parent != "" {
				if _, ok := sv.index[parent]; !ok {
					return nil, fmt.Errorf("vocabulary %s: %s comes before its parent", name, code)
				}
			}
			labels := map[string]string{}
			for _, l := range i18n.Languages {
				if strings.TrimSpace(t[l.Code]) == "" {
					return nil, fmt.Errorf("vocabulary %s: %s has no %s label", name, code, l.Code)
				}
				labels[l.Code] = t[l.Code]
			}
			if len(t) != len(i18n.Languages)+1 {
				return nil, fmt.Errorf("vocabulary %s: %s has a key that is neither the code nor a language", name, code)
			}
			sv.index[code] = len(sv.terms)
			sv.terms = append(sv.terms, shippedTerm{code: code, labels: labels})
		}
		out[name] = sv
	}
	return out, nil
}

// parentOf returns the parent of a hierarchical code: the code without its
// last dotted segment, "" for a top-level code.
func parentOf(code string) string {
	i := strings.LastIndexByte(code, '.')
	if i < 0 {
		return ""
	}
	return code[:i]
}

// hasAddedSegment reports whether a segment of code starts with "x", as
// the codes of added terms do and shipped ones never may.
func hasAddedSegment(code string) bool {
	for _, seg := range strings.Split(code, ".") {
		if strings.HasPrefix(seg, "x") {
			return true
		}
	}
	return false
}

// depthOf is how deep a hierarchical code sits: 0 at the top.
func depthOf(code string) int { return strings.Count(code, ".") }

// InBranch reports whether code is branch or under it in a hierarchical
// vocabulary: "70.20" is in branch "70", "700" is not.
func InBranch(code, branch string) bool {
	return code == branch || strings.HasPrefix(code, branch+".")
}

// compareCodes orders hierarchical codes depth first, segment by segment:
// numbers numerically, and the added segments ("x1", "x2"…) after every
// shipped one, in the order they were added. Shipped files list their
// terms in this order.
func compareCodes(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if c := compareSegments(as[i], bs[i]); c != 0 {
			return c
		}
	}
	return len(as) - len(bs)
}

func compareSegments(a, b string) int {
	ax, bx := strings.HasPrefix(a, "x"), strings.HasPrefix(b, "x")
	if ax != bx {
		if ax {
			return 1
		}
		return -1
	}
	an, aerr := strconv.Atoi(strings.TrimPrefix(a, "x"))
	bn, berr := strconv.Atoi(strings.TrimPrefix(b, "x"))
	if aerr == nil && berr == nil && an != bn {
		return an - bn
	}
	return strings.Compare(a, b)
}

// pickLabel returns labels' label in lang, else in English, else "".
func pickLabel(labels map[string]string, lang string) string {
	if s := labels[lang]; s != "" {
		return s
	}
	return labels[i18n.Default]
}

// shippedLabel returns the label of a shipped term, ok false when the
// vocabulary ships no such code.
func shippedLabel(vocabulary, code, lang string) (string, bool) {
	sv, ok := shipped[vocabulary]
	if !ok {
		return "", false
	}
	i, ok := sv.index[code]
	if !ok {
		return "", false
	}
	return pickLabel(sv.terms[i].labels, lang), true
}

// isShipped reports whether vocabulary ships code.
func isShipped(vocabulary, code string) bool {
	_, ok := shipped[vocabulary].index[code]
	return ok
}

// ShippedCodes returns the codes vocabulary ships, in display order; nil
// for an unknown vocabulary.
func ShippedCodes(vocabulary string) []string {
	sv, ok := shipped[vocabulary]
	if !ok {
		return nil
	}
	out := make([]string, len(sv.terms))
	for i, t := range sv.terms {
		out[i] = t.code
	}
	return slices.Clip(out)
}
