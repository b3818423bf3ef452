// SPDX-License-Identifier: AGPL-3.0-or-later

package frameworks

import (
	"maps"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/fielderr"
)

// FrameworkInput is a framework as an administrator gives it. Code is
// read on creation only: a framework's code names its nodes, so it never
// changes.
type FrameworkInput struct {
	Code      string
	Symbol    string
	Titles    map[string]string
	Summaries map[string]string
}

// NodeInput is a node as an administrator gives it. Code is read on
// creation only, as it is part of the node's id, which links and
// indicators name. ParentID is the id of the parent node, in the same
// framework, "" for the top level. Position orders a node among its
// siblings; 0 places it after the last one.
type NodeInput struct {
	Code      string
	ParentID  string
	Cites     string
	Titles    map[string]string
	Summaries map[string]string
	Position  int
}

// Lengths, in characters.
const (
	maxTitle    = 300
	maxSummary  = 4000
	maxSymbol   = 100
	maxCites    = 100
	maxPosition = 1_000_000
)

// checkTexts validates a map of texts by language, under the field names
// "<field>.<lang>": only the six languages, English required for titles,
// no control characters (line breaks are allowed in summaries). Empty
// texts are dropped, so that a language left blank falls back to English.
func checkTexts(ve *fielderr.Error, field string, m map[string]string, required bool, maxLen int, multiLine bool) map[string]string {
	out := map[string]string{}
	for _, lang := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(Languages, lang) {
			ve.Add(field+"."+lang, CodeUnknownLang)
			continue
		}
		if s := ve.Text(field+"."+lang, m[lang], maxLen, multiLine); s != "" {
			out[lang] = s
		}
	}
	if required && out["en"] == "" && !hasError(ve, field+".en") {
		ve.Add(field+".en", CodeRequired)
	}
	return out
}

func hasError(ve *fielderr.Error, field string) bool {
	return slices.ContainsFunc(ve.Errors, func(fe FieldError) bool { return fe.Field == field })
}

// normalizeFramework checks in; creating tells whether the code is read.
func normalizeFramework(in FrameworkInput, creating bool) (FrameworkInput, error) {
	var ve fielderr.Error
	out := FrameworkInput{Code: strings.TrimSpace(in.Code)}
	if creating {
		switch {
		case out.Code == "":
			ve.Add("code", CodeRequired)
		case !ValidFrameworkCode(out.Code):
			ve.Add("code", CodeInvalid)
		}
	}
	out.Symbol = ve.Text("symbol", in.Symbol, maxSymbol, false)
	out.Titles = checkTexts(&ve, "title", in.Titles, true, maxTitle, false)
	out.Summaries = checkTexts(&ve, "summary", in.Summaries, false, maxSummary, true)
	return out, ve.OrNil()
}

// normalizeNode checks the fields of in that need no database; the
// parent's existence and the absence of cycles are checked by the caller.
func normalizeNode(framework string, in NodeInput, creating bool) (NodeInput, error) {
	var ve fielderr.Error
	out := NodeInput{Code: strings.TrimSpace(in.Code), ParentID: strings.TrimSpace(in.ParentID), Position: in.Position}
	if creating {
		switch {
		case out.Code == "":
			ve.Add("code", CodeRequired)
		case !ValidNodeCode(out.Code):
			ve.Add("code", CodeInvalid)
		}
	}
	if out.ParentID != "" {
		if fw, _, ok := SplitNodeID(out.ParentID); !ok || fw != framework {
			ve.Add("parent", CodeUnknownParent)
		}
	}
	if out.Position < 0 || out.Position > maxPosition {
		ve.Add("position", CodeOutOfRange)
	}
	out.Cites = ve.Text("cites", in.Cites, maxCites, false)
	out.Titles = checkTexts(&ve, "title", in.Titles, true, maxTitle, false)
	out.Summaries = checkTexts(&ve, "summary", in.Summaries, false, maxSummary, true)
	return out, ve.OrNil()
}
