// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import "time"

// prepared is an Input in stored form: trimmed, codes normalised, the year
// of birth derived and the photo stripped of its metadata.
type prepared struct {
	ident     Identity
	attrs     Attributes
	vulns     []string
	photoType string
	photo     []byte // nil for none
}

// prepare checks in as of now and returns it in stored form, or a
// ValidationError naming every field at fault.
func prepare(in Input, now time.Time) (prepared, error) {
	var pr prepared
	var errs []FieldError
	pr.ident, pr.attrs, pr.vulns, errs = normalise(in.Identity, in.Attributes, in.Vulnerabilities, now)
	if len(in.Photo) > 0 {
		var code string
		if pr.photoType, pr.photo, code = cleanPhoto(in.Photo); code != "" {
			errs = append(errs, FieldError{Field: fieldPhoto, Code: code})
		}
	}
	if len(errs) > 0 {
		return prepared{}, &ValidationError{Errors: errs}
	}
	return pr, nil
}

// Check answers what Create would say of in, a ValidationError or nil,
// and records nothing. A form that registers a person together with
// something else (a case opened for them) checks both first, so that it
// shows every error at once and a refusal of either leaves nothing behind.
// Create checks again: passing Check is no promise.
func (s *Service) Check(in Input) error {
	_, err := prepare(in, s.now())
	return err
}
