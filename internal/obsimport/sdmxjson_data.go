// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// errStop ends a walk once the sink wants no more.
var errStop = errors.New("obsimport: stop")

// jsonLayout lays the components of one structure out as the columns of a
// row: data-set, series and observation dimensions, the measures, then
// data-set, series and observation attributes.
type jsonLayout struct {
	st  *jsonStructure
	l   *layout
	ok  bool
	row []string
	// first column of each group
	serDim, obsDim, meas, dsAttr, serAttr, obsAttr, width int
	nMeas                                                 int
}

func (w *jsonWalker) layoutFor(i int) *jsonLayout {
	if jl, ok := w.layouts[i]; ok {
		return jl
	}
	st := &w.d.structures[i]
	measures := []jsonComponent{{ID: "OBS_VALUE"}}
	if st.Measures != nil {
		measures = st.Measures.Observation
	}
	groups := [][]jsonComponent{st.Dimensions.DataSet, st.Dimensions.Series, st.Dimensions.Observation,
		measures, st.Attributes.DataSet, st.Attributes.Series, st.Attributes.Observation}
	jl := &jsonLayout{st: st, l: newLayout(), ok: true, nMeas: len(measures)}
	starts := make([]int, len(groups)+1)
	seen := map[string]bool{}
	for g, comps := range groups {
		starts[g] = len(jl.l.cols)
		for j, c := range comps {
			id := strings.ToUpper(c.ID)
			role, dim := sdmxRole(id)
			if g == 3 && j > 0 {
				role = roleNone // only the first measure is the value
			}
			if seen[id] && role != roleNone {
				w.s.fail(RowError{Line: 1, Field: c.ID, Code: CodeDuplicateColumn})
				jl.ok = false
			}
			seen[id] = true
			jl.l.add(column{idx: len(jl.l.cols), name: c.ID, role: role, dim: dim})
		}
	}
	starts[len(groups)] = len(jl.l.cols)
	jl.serDim, jl.obsDim, jl.meas, jl.dsAttr, jl.serAttr, jl.obsAttr, jl.width =
		starts[1], starts[2], starts[3], starts[4], starts[5], starts[6], starts[7]
	jl.row = make([]string, jl.width)
	for _, m := range jl.l.missing(map[int]string{roleSeries: "SERIES", roleArea: "REF_AREA", rolePeriod: "TIME_PERIOD", roleValue: "OBS_VALUE"}) {
		w.s.fail(RowError{Line: 1, Field: m, Code: CodeMissingColumn})
		jl.ok = false
	}
	if jl.ok {
		w.s.layout(jl.l)
	}
	w.layouts[i] = jl
	return jl
}

// jsonWalker walks the data sets of a message.
type jsonWalker struct {
	d       *jsonDoc
	s       *sink
	layouts map[int]*jsonLayout
	// each, when set, receives every observation's row as it stands,
	// whatever its components (the conformance tests' view).
	each func(line int, jl *jsonLayout)
}

// dataSetsAt walks the dataSets array at off.
func (w *jsonWalker) dataSetsAt(off int64) error {
	dec := w.d.decoderAt(off)
	return walkArray(dec, func(i int, at int64) error {
		start := w.d.valueStart(off + at)
		var ds struct {
			structure            int
			action               string
			attributes           []any
			series, observations int64
		}
		ds.series, ds.observations = -1, -1
		for si, st := range w.d.structures {
			if slices.Contains(st.DataSets, i) {
				ds.structure = si
			}
		}
		err := walkObject(dec, func(key string, k int64) error {
			v := w.d.valueStart(off + k)
			switch key {
			case "structure":
				return dec.Decode(&ds.structure)
			case "action":
				return dec.Decode(&ds.action)
			case "attributes":
				return dec.Decode(&ds.attributes)
			case "series":
				ds.series = v
			case "observations":
				ds.observations = v
			}
			return skip(dec)
		})
		if err != nil {
			return w.d.at(err, off)
		}
		line := w.d.line(start)
		if ds.structure < 0 || ds.structure >= len(w.d.structures) {
			return w.fail(RowError{Line: line, Field: "structure", Code: CodeInvalid})
		}
		jl := w.layoutFor(ds.structure)
		if !jl.ok && w.each == nil {
			return errStop
		}
		if strings.EqualFold(ds.action, "delete") {
			return w.fail(RowError{Line: line, Field: "action", Code: CodeNotSupported})
		}
		clear(jl.row)
		st := jl.st
		for j, c := range st.Dimensions.DataSet {
			jl.row[j] = dimValue(c, 0)
		}
		for j, c := range st.Attributes.DataSet {
			if j < len(ds.attributes) {
				jl.row[jl.dsAttr+j] = attrValue(c, ds.attributes[j])
			}
		}
		if ds.series >= 0 {
			if err := w.series(jl, ds.series); err != nil {
				return err
			}
		}
		if ds.observations >= 0 {
			return w.observations(jl, ds.observations)
		}
		return nil
	})
}

func (w *jsonWalker) fail(e RowError) error {
	if !w.s.fail(e) {
		return errStop
	}
	return nil
}

// series walks a data set's series object at off.
func (w *jsonWalker) series(jl *jsonLayout, off int64) error {
	dec := w.d.decoderAt(off)
	return walkObject(dec, func(key string, k int64) error {
		line := w.d.line(off + k)
		var attrs []any
		obs := int64(-1)
		err := walkObject(dec, func(name string, a int64) error {
			switch name {
			case "attributes":
				return dec.Decode(&attrs)
			case "observations":
				obs = w.d.valueStart(off + a)
			}
			return skip(dec)
		})
		if err != nil {
			return w.d.at(err, off)
		}
		if !w.key(jl, key, jl.st.Dimensions.Series, jl.serDim) {
			return w.fail(RowError{Line: line, Field: "series", Code: CodeInvalid})
		}
		for j, c := range jl.st.Attributes.Series {
			jl.row[jl.serAttr+j] = ""
			if j < len(attrs) {
				jl.row[jl.serAttr+j] = attrValue(c, attrs[j])
			}
		}
		if obs >= 0 {
			return w.observations(jl, obs)
		}
		return nil
	})
}

// key fills the row's dimensions of one level from a key "0:1:0".
func (w *jsonWalker) key(jl *jsonLayout, key string, dims []jsonComponent, at int) bool {
	if len(dims) == 0 {
		return key == ""
	}
	parts := strings.Split(key, ":")
	if len(parts) != len(dims) {
		return false
	}
	for j, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n >= len(dims[j].Values) {
			return false
		}
		jl.row[at+j] = dimValue(dims[j], n)
	}
	return true
}

// observations walks an observations object at off.
func (w *jsonWalker) observations(jl *jsonLayout, off int64) error {
	dec := w.d.decoderAt(off)
	return walkObject(dec, func(key string, k int64) error {
		line := w.d.line(off + k)
		var vals []any
		if err := dec.Decode(&vals); err != nil {
			return w.d.at(err, off)
		}
		if !w.key(jl, key, jl.st.Dimensions.Observation, jl.obsDim) {
			return w.fail(RowError{Line: line, Field: "observation", Code: CodeInvalid})
		}
		meas := measureComponents(jl.st, jl.nMeas)
		for j := range jl.nMeas {
			jl.row[jl.meas+j] = ""
			if j < len(vals) {
				jl.row[jl.meas+j] = attrValue(meas[j], vals[j])
			}
		}
		for j, c := range jl.st.Attributes.Observation {
			jl.row[jl.obsAttr+j] = ""
			if i := jl.nMeas + j; i < len(vals) {
				jl.row[jl.obsAttr+j] = attrValue(c, vals[i])
			}
		}
		if w.each != nil {
			w.each(line, jl)
			return nil
		}
		o, ok, more := jl.l.observation(line, jl.row, w.s.fail)
		if ok {
			more = w.s.row(line, o)
		}
		if !more {
			return errStop
		}
		return nil
	})
}

func measureComponents(st *jsonStructure, n int) []jsonComponent {
	if st.Measures != nil {
		return st.Measures.Observation
	}
	return make([]jsonComponent, n)
}

// dimValue is the code of a dimension's i-th value.
func dimValue(c jsonComponent, i int) string {
	if i >= len(c.Values) || c.Values[i] == nil {
		return ""
	}
	if v := c.Values[i]; v.ID != "" {
		return v.ID
	}
	return jsonText(c.Values[i].Value)
}

// attrValue reads a measure's or attribute's entry: an index into the
// component's values when it lists them, else the value itself.
func attrValue(c jsonComponent, v any) string {
	if n, ok := v.(json.Number); ok && len(c.Values) > 0 {
		i, err := strconv.Atoi(string(n))
		if err != nil || i < 0 {
			return ""
		}
		return dimValue(c, i)
	}
	return jsonText(v)
}

// jsonText is a JSON value as text: a number as written, a localised
// text in English or else any language, a list's first entry.
func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		if t, ok := x["en"].(string); ok {
			return t
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if t, ok := x[k].(string); ok {
				return t
			}
		}
	case []any:
		if len(x) > 0 {
			return jsonText(x[0])
		}
	}
	return ""
}
