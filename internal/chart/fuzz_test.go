// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"encoding/binary"
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"math"
	"strings"
	"testing"
)

// FuzzLine draws arbitrary values, any float64 bit pattern (NaN, ±Inf,
// negative, subnormal) split into two series, with an arbitrary series name
// and direction, and checks the output is always well-formed XML. Bar,
// StackedBar and Sparkline share its number handling and get the same
// values.
func FuzzLine(f *testing.F) {
	seed := func(vs ...float64) []byte {
		b := make([]byte, 0, 8*len(vs))
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(seed(1, 2, 3, 4), "a", false)
	f.Add(seed(math.NaN(), math.Inf(1), math.Inf(-1), -1), "<&\">", true)
	f.Add(seed(math.MaxFloat64, -math.MaxFloat64, 5e-324, 0), "\x00\xff", false)
	f.Add([]byte{}, "", true)
	f.Fuzz(func(t *testing.T, data []byte, name string, rtl bool) {
		var vs []float64
		for len(data) >= 8 {
			vs = append(vs, math.Float64frombits(binary.LittleEndian.Uint64(data)))
			data = data[8:]
		}
		half := len(vs) / 2
		cats := make([]string, half+1)
		for i := range cats {
			cats[i] = name
		}
		series := []Series{{Name: name, Values: vs[:half]}, {Name: name, Values: vs[half:]}}
		s := Spec{ID: name, Title: name, Desc: name, XLabel: name, YLabel: name, Empty: name, RTL: rtl}
		for _, out := range []template.HTML{
			Line(s, cats, series),
			Bar(s, cats, vs),
			StackedBar(s, cats, series),
			Sparkline(s, vs),
		} {
			d := xml.NewDecoder(strings.NewReader(string(out)))
			for {
				_, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed XML: %v\n%s", err, out)
				}
			}
		}
	})
}
