// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// checkSVG fails t unless out is well-formed XML with an <svg> root that
// names its <title> (and <desc>) through aria-labelledby, and holds nothing
// the Content-Security-Policy would block or that reaches outside the page:
// no script, event handler, style attribute, link or URL other than the SVG
// namespace.
func checkSVG(t *testing.T, out template.HTML) {
	t.Helper()
	s := string(out)
	for _, bad := range []string{"<script", "style=", "javascript:"} {
		if strings.Contains(strings.ToLower(s), bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	for _, u := range urlRE.FindAllString(s, -1) {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("output contains URL %q", u)
		}
	}
	d := xml.NewDecoder(strings.NewReader(s))
	ids := map[string]bool{}
	var labelledBy string
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if tok.Name.Local != "svg" {
					t.Errorf("root element is <%s>, want <svg>", tok.Name.Local)
				}
				if attr(tok, "role") != "img" {
					t.Errorf(`root has role=%q, want "img"`, attr(tok, "role"))
				}
				if attr(tok, "viewBox") == "" {
					t.Error("root has no viewBox")
				}
				labelledBy = attr(tok, "aria-labelledby")
			}
			depth++
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(name, "on") || name == "style" || name == "href" {
					t.Errorf("<%s> has attribute %s", tok.Name.Local, a.Name.Local)
				}
				if name == "id" {
					if ids[a.Value] {
						t.Errorf("id %q used twice", a.Value)
					}
					ids[a.Value] = true
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if labelledBy == "" {
		t.Error("root has no aria-labelledby")
	}
	for _, id := range strings.Fields(labelledBy) {
		if !ids[id] {
			t.Errorf("aria-labelledby names %q, which no element has", id)
		}
	}
}

var urlRE = regexp.MustCompile(`(?i)https?:[^"'<> ]*`)

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestGoldenCasesAreSafeSVG(t *testing.T) {
	for name, out := range goldenCases() {
		t.Run(name, func(t *testing.T) { checkSVG(t, out) })
	}
}

// TestDegenerateInput draws inputs with nothing, or almost nothing, to
// draw: none may panic, and each must still be a valid drawing.
func TestDegenerateInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	long := func(float64) string { return strings.Repeat("9", 500) }
	cases := map[string]func() template.HTML{
		"line zero value":    func() template.HTML { return Line(Spec{}, nil, nil) },
		"line no categories": func() template.HTML { return Line(Spec{}, nil, []Series{{Name: "a", Values: []float64{1, 2}}}) },
		"line all zero":      func() template.HTML { return Line(Spec{}, years, []Series{{Values: make([]float64, 10)}}) },
		"line one point":     func() template.HTML { return Line(Spec{}, years[:1], []Series{{Values: []float64{7}}}) },
		"line all NaN": func() template.HTML {
			return Line(Spec{Empty: "none"}, years, []Series{{Values: []float64{nan, inf, -inf}}})
		},
		"line negative": func() template.HTML { return Line(Spec{}, years[:3], []Series{{Values: []float64{-5, -0.001, -300}}}) },
		"line huge": func() template.HTML {
			return Line(Spec{}, years[:3], []Series{{Values: []float64{math.MaxFloat64, -math.MaxFloat64, 1}}})
		},
		"line tiny":        func() template.HTML { return Line(Spec{}, years[:2], []Series{{Values: []float64{5e-324, 1e-300}}}) },
		"line long format": func() template.HTML { return Line(Spec{Format: long}, years[:2], []Series{{Values: []float64{1, 2}}}) },
		"line many series": func() template.HTML { return Line(Spec{}, years[:2], make([]Series, 20)) },
		"line 500 categories": func() template.HTML {
			return Line(Spec{}, make([]string, 500), []Series{{Values: []float64{1, nan, 3}}})
		},
		"bar zero value":     func() template.HTML { return Bar(Spec{}, nil, nil) },
		"bar all zero":       func() template.HTML { return Bar(Spec{}, years, make([]float64, 10)) },
		"bar negative":       func() template.HTML { return Bar(Spec{RTL: true}, years[:2], []float64{-4, 2}) },
		"stacked zero value": func() template.HTML { return StackedBar(Spec{}, nil, nil) },
		"stacked mixed signs": func() template.HTML {
			return StackedBar(Spec{}, years[:2], []Series{{Values: []float64{3, -2}}, {Values: []float64{-1, inf}}})
		},
		"sparkline zero value": func() template.HTML { return Sparkline(Spec{}, nil) },
		"sparkline one point":  func() template.HTML { return Sparkline(Spec{}, []float64{4}) },
		"sparkline flat":       func() template.HTML { return Sparkline(Spec{RTL: true}, []float64{2, 2, 2}) },
		"sparkline all NaN":    func() template.HTML { return Sparkline(Spec{}, []float64{nan, nan}) },
		"map zero value":       func() template.HTML { return WorldMap(Spec{}, MapData{}) },
		"map bad indexes": func() template.HTML {
			return WorldMap(Spec{RTL: true}, MapData{
				Classes: []MapClass{{Label: "x", Color: -3}, {Label: "y", Color: 99}},
				Class:   map[string]int{"250": 5, "276": -1, "": 0, "380": 0, "724": 1, "999": 1},
			})
		},
	}
	for name, draw := range cases {
		t.Run(name, func(t *testing.T) { checkSVG(t, draw()) })
	}
}

// TestEscaping passes markup characters in every piece of caller text and
// checks that they come out as text, unchanged once the XML is decoded.
func TestEscaping(t *testing.T) {
	const evil = `<b onclick="x()">Tom & "Jerry"</b>'`
	spec := Spec{
		ID: `a"><script>`, Title: evil + "title", Desc: evil + "desc",
		XLabel: evil + "x", YLabel: evil + "y", Empty: evil + "empty",
		Format: func(v float64) string { return evil + "num" },
	}
	series := []Series{{Name: evil + "s1", Values: []float64{1, 2}}, {Name: evil + "s2", Values: []float64{2, 1}}}
	cats := []string{evil + "c1", "c2"}
	outs := map[string]template.HTML{
		"line":      Line(spec, cats, series),
		"bar":       Bar(spec, cats, []float64{1, 2}),
		"stacked":   StackedBar(spec, cats, series),
		"sparkline": Sparkline(spec, []float64{1, 2}),
		"map": WorldMap(spec, MapData{
			Classes: []MapClass{{Label: evil + "class"}},
			Class:   map[string]int{"250": 0},
			Names:   map[string]string{"250": evil + "France"},
			NoData:  evil + "nodata",
		}),
		"empty": Line(spec, nil, nil),
	}
	for name, out := range outs {
		t.Run(name, func(t *testing.T) {
			checkSVG(t, out)
			if strings.Contains(string(out), "<b") || strings.Contains(string(out), `"x()"`) {
				t.Errorf("caller markup reached the output unescaped:\n%s", out)
			}
			// Every piece of text, decoded, is either free of the
			// markup characters or holds evil whole.
			d := xml.NewDecoder(strings.NewReader(string(out)))
			found := false
			for {
				tok, err := d.Token()
				if err != nil {
					break
				}
				if cd, ok := tok.(xml.CharData); ok && strings.Contains(string(cd), evil) {
					found = true
				}
			}
			if !found {
				t.Errorf("no text holds the caller's string intact:\n%s", out)
			}
		})
	}
}

func TestEscapeDropsCharactersXMLForbids(t *testing.T) {
	got := esc("a\x00b\x1fc\td\xffe\uFFFEf")
	if want := "abc\td\uFFFDef"; got != want {
		t.Errorf("esc() = %q, want %q", got, want)
	}
}

func TestIDs(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"cases", "cases"},
		{"cases 2024/é", "cases-2024--"},
	} {
		if got := (Spec{ID: tc.id}).idPrefix("line"); got != tc.want {
			t.Errorf("idPrefix(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
	// Without an ID, different charts get different ids.
	a := Spec{Title: "A"}.idPrefix("line")
	if b := (Spec{Title: "B"}).idPrefix("line"); a == b {
		t.Errorf("charts titled A and B both have id prefix %q", a)
	}
	if b := (Spec{Title: "A"}).idPrefix("bar"); a == b {
		t.Errorf("a line and a bar chart titled A both have id prefix %q", a)
	}
}

func TestRTLMirrors(t *testing.T) {
	cats := []string{"first", "last"}
	series := []Series{{Values: []float64{1, 2}}}
	ltr := string(Line(Spec{}, cats, series))
	rtl := string(Line(Spec{RTL: true}, cats, series))
	if !strings.Contains(rtl, `direction="rtl"`) || strings.Contains(ltr, `direction="rtl"`) {
		t.Error(`direction="rtl" should be on RTL text only`)
	}
	x := func(out, label string) float64 {
		m := regexp.MustCompile(`<text x="([0-9.]+)"[^>]*>` + label + `<`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no label %q in %s", label, out)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	if !(x(ltr, "first") < x(ltr, "last")) {
		t.Error("LTR: the first category is not left of the last")
	}
	if !(x(rtl, "first") > x(rtl, "last")) {
		t.Error("RTL: the first category is not right of the last")
	}
}

func TestDefaultFormat(t *testing.T) {
	for _, tc := range []struct {
		rtl  bool
		v    float64
		want string
	}{
		{false, 1500, "1500"},
		{false, -0.25, "-0.25"},
		{true, 1500, "1500"},
		{true, -20, "\u200e-20"}, // shows as -20, not 20-, in right-to-left text
	} {
		if got := (Spec{RTL: tc.rtl}).format(tc.v); got != tc.want {
			t.Errorf("Spec{RTL: %v}.format(%v) = %q, want %q", tc.rtl, tc.v, got, tc.want)
		}
	}
}
