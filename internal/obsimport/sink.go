// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"io"

	"github.com/amparo-project/amparo/internal/observations"
)

// sink is what a parser reports to: the layout of the file once its header
// (or structure) is read, each observation, and each error. row and fail
// answer false once no more is wanted (too many errors).
type sink struct {
	layout func(*layout)
	row    func(line int, o observations.Observation) bool
	fail   func(RowError) bool
}

// parser reads one format from r into s.
type parser func(r io.Reader, s *sink)

// rows feeds each row of a CSV file through l to s.
func (s *sink) rows(l *layout) func(line int, f []string) bool {
	return func(line int, f []string) bool {
		o, ok, more := l.observation(line, f, s.fail)
		if !more {
			return false
		}
		if ok {
			return s.row(line, o)
		}
		return true
	}
}
