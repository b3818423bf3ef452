// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

// RowError is the FieldError for one field of one row of an imported
// file: row is the 1-based row (0 when the error is about the whole file,
// and then left out of the JSON), field the column. The field is bounded
// like a decoded JSON field name, because a file's header is client text
// and an unknown column of a megabyte must not come back in full.
func RowError(row int, field, code string) FieldError {
	return FieldError{Field: echoField(field), Code: code, Row: row}
}
