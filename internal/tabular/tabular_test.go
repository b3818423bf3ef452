// SPDX-License-Identifier: AGPL-3.0-or-later

package tabular_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/tabular"
	"github.com/amparo-project/amparo/internal/tabular/tabulartest"
)

// read reads data with small limits and returns the records' lines and
// first cells, and the errors.
func read(data []byte, headerOK bool) (rows []string, errs []tabular.RowError) {
	tabular.Read(bytes.NewReader(data), tabular.Options{MaxRows: 4, MaxCell: 8, MaxXLSXBytes: 1 << 20,
		Header: func(rec tabular.Record) bool { rows = append(rows, "header:"+rec.Fields[0]); return headerOK },
		Row:    func(rec tabular.Record) { rows = append(rows, strings.Join(rec.Fields, "|")) },
		Error:  func(e tabular.RowError) { errs = append(errs, e) },
	})
	return rows, errs
}

func TestRead(t *testing.T) {
	for _, c := range []struct {
		name     string
		data     []byte
		headerOK bool
		rows     []string
		errs     []tabular.RowError
	}{
		{"blank records skipped", []byte("\ufeffa,b\n\n,\n1,2\n"), true, []string{"header:\ufeffa", "1|2"}, nil},
		{"shape errors", []byte("a,b\n1,2,3\n123456789,x\n\xff,x\nok,ok\n"), true, []string{"header:a", "ok|ok"},
			[]tabular.RowError{{Line: 2, Code: tabular.CodeFieldCount}, {Line: 3, Code: tabular.CodeTooLong},
				{Line: 4, Code: tabular.CodeUnreadable}}},
		{"too many rows", []byte("a\n1\n2\n3\n4\n5\n6\n"), true, []string{"header:a", "1", "2", "3", "4"},
			[]tabular.RowError{{Line: 6, Code: tabular.CodeTooManyRows}}},
		{"header refused", []byte("a\n1\n"), false, []string{"header:a"}, nil},
		{"quoting", []byte("a\n\"1\n"), true, []string{"header:a"}, []tabular.RowError{{Line: 2, Code: tabular.CodeUnreadable}}},
		{"empty", nil, true, nil, []tabular.RowError{{Line: 0, Code: tabular.CodeEmptyFile}}},
		{"workbook lines", tabulartest.XLSX(t, [][]any{{"a", "b"}, {}, {"1", 2.0}}), true, []string{"header:a", "1|2"}, nil},
		{"broken workbook", []byte("PK\x03\x04 no zip"), true, nil, []tabular.RowError{{Line: 0, Code: tabular.CodeUnreadable}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, errs := read(c.data, c.headerOK)
			if !reflect.DeepEqual(rows, c.rows) || !reflect.DeepEqual(errs, c.errs) {
				t.Errorf("rows %q, errors %+v; want %q, %+v", rows, errs, c.rows, c.errs)
			}
		})
	}
}

func TestCappedAndSerialDate(t *testing.T) {
	errs := make([]tabular.RowError, tabular.MaxErrors+5)
	for i := range errs {
		errs[i] = tabular.RowError{Line: len(errs) - i}
	}
	got, more := tabular.Capped(errs)
	if !more || len(got) != tabular.MaxErrors || got[0].Line != 1 {
		t.Errorf("Capped: %d errors, more %v, first line %d", len(got), more, got[0].Line)
	}
	for in, want := range map[string]string{"36227": "1999-03-08", "36227.5": "1999-03-08", "x": "x", "0": "0"} {
		if got := tabular.SerialDate(in); got != want {
			t.Errorf("SerialDate(%q) = %q, want %q", in, got, want)
		}
	}
}
