// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strconv"

	"github.com/amparo-project/amparo/internal/tabular"
)

// The parts of an SDMX-JSON data message (1.0, 2.0, 2.1) an import reads.
// A message is read whole (at most MaxJSONBytes), since its structure may
// come after its data; its data sets are then walked token by token, so
// that each observation's error names the line it is on.
type jsonStructure struct {
	Dimensions struct {
		DataSet, Series, Observation []jsonComponent
	} `json:"dimensions"`
	Measures *struct {
		Observation []jsonComponent `json:"observation"`
	} `json:"measures"`
	Attributes struct {
		DataSet, Series, Observation []jsonComponent
	} `json:"attributes"`
	DataSets []int `json:"dataSets"`
}

type jsonComponent struct {
	ID     string       `json:"id"`
	Values []*jsonValue `json:"values"`
}

type jsonValue struct {
	ID    string `json:"id"`
	Value any    `json:"value"`
}

// jsonDoc is a message as the first walk finds it: its structures and
// where its data sets start.
type jsonDoc struct {
	data       []byte
	lines      []int // offsets of line breaks
	structures []jsonStructure
	dataSets   int64 // offset of the dataSets array, -1 when none
}

func (d *jsonDoc) line(off int64) int { return sort.SearchInts(d.lines, int(off)) + 1 }

// valueStart skips the colon and spaces after a key, to where its value
// begins.
func (d *jsonDoc) valueStart(off int64) int64 {
	for off < int64(len(d.data)) {
		switch d.data[off] {
		case ' ', '\t', '\r', '\n', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// decoderAt decodes the value starting at off.
func (d *jsonDoc) decoderAt(off int64) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(d.data[off:]))
	dec.UseNumber()
	return dec
}

// walkObject reads an object from dec key by key; fn must consume each
// key's value and gets the offset (in dec's input) after the key.
func walkObject(dec *json.Decoder, fn func(key string, off int64) error) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return errJSONShape
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if err := fn(key, dec.InputOffset()); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

// walkArray reads an array from dec; fn must consume each element.
func walkArray(dec *json.Decoder, fn func(i int, off int64) error) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != json.Delim('[') {
		return errJSONShape
	}
	for i := 0; dec.More(); i++ {
		if err := fn(i, dec.InputOffset()); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

func skip(dec *json.Decoder) error { return dec.Decode(new(json.RawMessage)) }

var errJSONShape = errors.New("obsimport: unexpected JSON shape")

// jsonError is a malformed message at a line.
type jsonError struct{ line int }

func (e jsonError) Error() string { return "obsimport: malformed JSON at line " + strconv.Itoa(e.line) }

// parseSDMXJSON reads an SDMX-JSON data message.
func parseSDMXJSON(r io.Reader, s *sink) {
	data, err := io.ReadAll(io.LimitReader(r, MaxJSONBytes+1))
	switch {
	case err != nil:
		s.fail(RowError{Code: tabular.CodeUnreadable})
		return
	case len(data) > MaxJSONBytes:
		s.fail(RowError{Code: tabular.CodeTooLong})
		return
	case len(bytes.TrimSpace(data)) == 0:
		s.fail(RowError{Code: tabular.CodeEmptyFile})
		return
	}
	d := &jsonDoc{data: data, dataSets: -1}
	for i, c := range data {
		if c == '\n' {
			d.lines = append(d.lines, i)
		}
	}
	if err := d.readTop(d.decoderAt(0), 0); err != nil {
		s.fail(RowError{Line: d.at(err, 0).line, Code: tabular.CodeUnreadable})
		return
	}
	if len(d.structures) == 0 {
		s.fail(RowError{Line: 1, Field: "structure", Code: CodeMissingColumn})
		return
	}
	if d.dataSets < 0 {
		return
	}
	w := &jsonWalker{d: d, s: s, layouts: map[int]*jsonLayout{}}
	if err := w.dataSetsAt(d.dataSets); err != nil && !errors.Is(err, errStop) {
		s.fail(RowError{Line: d.at(err, d.dataSets).line, Code: tabular.CodeUnreadable})
	}
}

// at turns an error of a decoder started at base into a jsonError naming
// the line in the whole message; one already turned is kept.
func (d *jsonDoc) at(err error, base int64) jsonError {
	var je jsonError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &je):
		return je
	case errors.As(err, &se):
		return jsonError{d.line(base + se.Offset)}
	case errors.As(err, &te):
		return jsonError{d.line(base + te.Offset)}
	}
	return jsonError{d.line(base)}
}

// readTop reads the message's top level, or its "data" object, whose
// offset in d.data is base: the structure(s) are decoded, the data sets
// only located.
func (d *jsonDoc) readTop(dec *json.Decoder, base int64) error {
	return walkObject(dec, func(key string, off int64) error {
		start := d.valueStart(base + off)
		var err error
		switch key {
		case "data":
			err = d.readTop(d.decoderAt(start), start)
		case "structure":
			var st jsonStructure
			if err = d.decoderAt(start).Decode(&st); err == nil {
				d.structures = []jsonStructure{st}
			}
		case "structures":
			err = d.decoderAt(start).Decode(&d.structures)
		case "dataSets":
			d.dataSets = start
		}
		if err != nil {
			return d.at(err, start)
		}
		if err := skip(dec); err != nil {
			return d.at(err, base)
		}
		return nil
	})
}
