// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/fielderr"
)

// FormParts are the parts of an import sent as a form (by the API or the
// pages) and the most bytes each may hold: the file, a JSON mapping, and
// the options by the names FormOptions reads.
var FormParts = map[string]int64{"file": MaxUploadBytes, "mapping": MaxMappingBytes,
	"preset": 64, "owner_id": 64, "dry_run": 8, "skip_existing": 8}

// FormOptions reads the options of an import sent as a form: values holds
// the fields "preset", "owner_id", "dry_run" and "skip_existing" (a
// boolean, or "on" as a ticked checkbox sends), file the file and mapping a
// JSON mapping. Every problem is reported at once, as a ValidationError
// naming "file", the option, or the mapping's part ("mapping",
// "columns.<header>", …).
func FormOptions(values map[string]string, file, mapping []byte) (Options, error) {
	v := &ValidationError{}
	flag := func(name string) bool {
		s := strings.TrimSpace(values[name])
		if s == "" || s == "on" {
			return s == "on"
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			v.Add(name, CodeInvalid)
		}
		return b
	}
	opt := Options{OwnerID: strings.TrimSpace(values["owner_id"]), DryRun: flag("dry_run"), SkipExisting: flag("skip_existing")}
	if len(file) == 0 {
		v.Add("file", CodeRequired)
	}
	m, err := MappingFrom(strings.TrimSpace(values["preset"]), mapping)
	if fe, ok := err.(*fielderr.Error); ok {
		v.Errors = append(v.Errors, fe.Errors...)
	} else if err != nil {
		return opt, err
	}
	opt.Mapping = m
	return opt, v.OrNil()
}
