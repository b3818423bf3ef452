// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import "strconv"

// numberField is a labelled whole-number input with a hint and its error,
// for the "number-field" template.
type numberField struct {
	Name, Label, Hint, Value string
	Error                    *fieldError
}

// NumberField makes the number field name of v's form: the value sent
// again after a failed submission, else current (none when negative).
func (v view) NumberField(name, label, hint string, current int) numberField {
	val, sent := v.Values[name]
	if !sent && current >= 0 {
		val = strconv.Itoa(current)
	}
	return numberField{Name: name, Label: label, Hint: hint, Value: val, Error: v.FieldError(name)}
}
