// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value     string
		precision Precision
		want      Date
		first     string
		last      string
		errCode   string
	}{
		{"2024-03-10", "", Date{"2024-03-10", PrecisionExact}, "2024-03-10", "2024-03-10", ""},
		{"2024-03-10", PrecisionExact, Date{"2024-03-10", PrecisionExact}, "2024-03-10", "2024-03-10", ""},
		{"2024-03-10", PrecisionEstimated, Date{"2024-03-10", PrecisionEstimated}, "2024-03-10", "2024-03-10", ""},
		{" 2024-03 ", "", Date{"2024-03", PrecisionMonth}, "2024-03-01", "2024-03-31", ""},
		{"2024-02", PrecisionMonth, Date{"2024-02", PrecisionMonth}, "2024-02-01", "2024-02-29", ""},
		{"2023-02", PrecisionMonth, Date{"2023-02", PrecisionMonth}, "2023-02-01", "2023-02-28", ""},
		{"2019", PrecisionYear, Date{"2019", PrecisionYear}, "2019-01-01", "2019-12-31", ""},
		{"1900", "", Date{"1900", PrecisionYear}, "1900-01-01", "1900-12-31", ""},
		{"", "", Date{}, "", "", CodeRequired},
		{"   ", PrecisionExact, Date{}, "", "", CodeRequired},
		{"2024-03", PrecisionExact, Date{}, "", "", CodePrecisionMismatch},
		{"2024-03", PrecisionEstimated, Date{}, "", "", CodePrecisionMismatch},
		{"2024-03-10", PrecisionMonth, Date{}, "", "", CodePrecisionMismatch},
		{"2024", PrecisionMonth, Date{}, "", "", CodePrecisionMismatch},
		{"2024-03-10", PrecisionYear, Date{}, "", "", CodePrecisionMismatch},
		{"2024-03-10", "day", Date{}, "", "", CodeUnknownPrecision},
		{"2024-13", "", Date{}, "", "", CodeInvalidDate},
		{"2024-00", "", Date{}, "", "", CodeInvalidDate},
		{"2023-02-29", "", Date{}, "", "", CodeInvalidDate},
		{"2024-04-31", "", Date{}, "", "", CodeInvalidDate},
		{"2024-03-00", "", Date{}, "", "", CodeInvalidDate},
		{"10/03/2024", "", Date{}, "", "", CodeInvalidDate},
		{"2024/03/10", "", Date{}, "", "", CodeInvalidDate},
		{"2024-3-10", "", Date{}, "", "", CodeInvalidDate},
		{"20240310", "", Date{}, "", "", CodeInvalidDate},
		{"２０２４", "", Date{}, "", "", CodeInvalidDate},
		{"-024", "", Date{}, "", "", CodeInvalidDate},
		{"1899-12-31", "", Date{}, "", "", CodeTooEarly},
		{"0000", "", Date{}, "", "", CodeTooEarly},
	}
	for _, tt := range tests {
		t.Run(string(tt.precision)+"_"+tt.value, func(t *testing.T) {
			got, err := ParseDate(tt.value, tt.precision)
			if tt.errCode != "" {
				var de *DateError
				if !errors.As(err, &de) || de.Code != tt.errCode {
					t.Fatalf("ParseDate = %+v, %v; want error %s", got, err, tt.errCode)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate = %+v, %v; want %+v", got, err, tt.want)
			}
			if got.First() != tt.first || got.Last() != tt.last {
				t.Errorf("first %s last %s, want %s %s", got.First(), got.Last(), tt.first, tt.last)
			}
		})
	}
}

// TestCheckSpan covers the rules a start and an end follow together: the
// start may be required, an end needs a start, the end must not end before
// the start begins, and neither may begin after today.
func TestCheckSpan(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 4, 23, 0, 0, 0, time.UTC)
	d := func(v string, p Precision) Date { return Date{Value: v, Precision: p} }
	tests := []struct {
		name          string
		start, end    Date
		startRequired bool
		want          []string
	}{
		{"day to day", d("2026-03-01", PrecisionExact), d("2026-03-02", PrecisionExact), true, nil},
		{"one day", d("2026-03-01", PrecisionExact), d("2026-03-01", PrecisionExact), true, nil},
		{"month to a day within it", d("2026-03", PrecisionMonth), d("2026-03-10", PrecisionExact), true, nil},
		{"day to its own month", d("2026-03-20", PrecisionEstimated), d("2026-03", PrecisionMonth), true, nil},
		{"year to a later year", d("2019", PrecisionYear), d("2021", PrecisionYear), true, nil},
		{"today", d("2026-05-04", PrecisionExact), Date{}, true, nil},
		{"this month", d("2026-05", ""), Date{}, true, nil},
		{"no dates, not required", Date{}, Date{}, false, nil},
		{"start required", Date{}, Date{}, true, []string{"start:required"}},
		{"end before start", d("2026-03-10", PrecisionExact), d("2026-03-09", PrecisionExact), true, []string{"end:date_order"}},
		{"end month before start day", d("2026-03-10", PrecisionExact), d("2026-02", PrecisionMonth), true, []string{"end:date_order"}},
		{"end year before start", d("2026-01", PrecisionMonth), d("2025", PrecisionYear), true, []string{"end:date_order"}},
		{"end without start", Date{}, d("2026-03-10", PrecisionExact), false, []string{"end:end_without_start"}},
		{"end without required start", Date{}, d("2026-03-10", PrecisionExact), true, []string{"start:required", "end:end_without_start"}},
		{"tomorrow", d("2026-05-05", PrecisionExact), Date{}, true, []string{"start:future"}},
		{"next month", d("2026-06", PrecisionMonth), Date{}, true, []string{"start:future"}},
		{"end in the future", d("2026-05-01", PrecisionExact), d("2027", PrecisionYear), true, []string{"end:future"}},
		{"bad start", d("2026-02-30", PrecisionExact), d("2026-03-01", PrecisionExact), true, []string{"start:invalid_partial_date"}},
		{"mismatched end", d("2026-02-01", PrecisionExact), d("2026-03", PrecisionExact), true, []string{"end:precision_mismatch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &ValidationError{}
			checkSpan(v, "", tt.start, tt.end, tt.startRequired, today(now))
			var got []string
			for _, fe := range v.Errors {
				got = append(got, fe.Field+":"+fe.Code)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("errors %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzParseDate feeds the parser of dates from forms and clients anything:
// it never panics, and a date it accepts has the form of its precision, a
// first day no later than its last, and parses again to itself.
func FuzzParseDate(f *testing.F) {
	for _, seed := range []struct{ value, precision string }{
		{"2024-03-10", ""}, {"2024-03", "month"}, {"2019", "year"}, {"2024-02-29", "estimated"},
		{"2023-02-29", "exact"}, {"9999-12-31", ""}, {"0000-00-00", ""}, {"2024-1-1", ""}, {"", ""},
		{"\u0000", "exact"}, {"2024-03-1\u0661", ""}, {"1900", "day"},
	} {
		f.Add(seed.value, seed.precision)
	}
	f.Fuzz(func(t *testing.T, value, precision string) {
		d, err := ParseDate(value, Precision(precision))
		if err != nil {
			var de *DateError
			if !errors.As(err, &de) || de.Code == "" {
				t.Fatalf("error %v is not a coded DateError", err)
			}
			return
		}
		want := map[Precision]int{PrecisionExact: 10, PrecisionEstimated: 10, PrecisionMonth: 7, PrecisionYear: 4}[d.Precision]
		if len(d.Value) != want {
			t.Fatalf("%q accepted as %+v", value, d)
		}
		if d.First() > d.Last() || !strings.HasPrefix(d.First(), d.Value) {
			t.Fatalf("%+v: first %s, last %s", d, d.First(), d.Last())
		}
		if again, err := ParseDate(d.Value, d.Precision); err != nil || again != d {
			t.Fatalf("%+v parses again to %+v, %v", d, again, err)
		}
	})
}
