// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"fmt"
	"strconv"
	"time"

	"golang.org/x/text/number"
)

// Number writes an integer or a floating-point number with the language's
// digits, grouping and decimal separator, as CLDR has them: 1,234.5 in
// English, 1 234,5 in French and Russian, 1.234,5 in Spanish. Arabic gets
// the Arabic-Indic digits (١٬٢٣٤٫٥), the default numbering system of "ar"
// in the CLDR data of golang.org/x/text; the choice is CLDR's, not made
// here, so that Amparo writes numbers as other software set to Arabic does.
// A float shows at most three decimals, CLDR's usual pattern. Anything
// else is written with fmt.Sprint.
func (l *Locale) Number(v any) string {
	if !isNumber(v) {
		return fmt.Sprint(v)
	}
	return l.printer.Sprint(number.Decimal(v))
}

// isNumber reports whether v is of one of Go's integer or floating-point
// types.
func isNumber(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return true
	}
	return false
}

// Percent writes a fraction as a percentage (0.256 is 25.6 %), in the
// language's way (26 %, ٢٥٫٦٪), with at most one decimal: charts and
// summaries rarely need more, and a whole-number percentage would show a
// small share as 0 %.
func (l *Locale) Percent(v float64) string {
	return l.printer.Sprint(number.Percent(v, number.MaxFractionDigits(1)))
}

// Date writes t's calendar date in words, in t's own time zone: the
// pattern date.long with the month's name from date.month.1 to
// date.month.12 ("2 March 2026", "2026年3月2日"). Day and year are written
// in the language's digits, the year without grouping.
func (l *Locale) Date(t time.Time) string {
	return l.T("date.long",
		"day", l.printer.Sprint(number.Decimal(t.Day())),
		"month", l.T("date.month."+strconv.Itoa(int(t.Month()))),
		"year", l.printer.Sprint(number.Decimal(t.Year(), number.NoSeparator())))
}

// DateTime writes an instant in UTC, to the minute, with the date as Date
// writes it and a 24-hour time: the pattern date.datetime filled with
// date.time. Times are shown in UTC because the server does not know the
// reader's zone; the pages say so.
func (l *Locale) DateTime(t time.Time) string {
	t = t.UTC()
	twoDigits := func(n int) string { return l.printer.Sprint(number.Decimal(n, number.MinIntegerDigits(2))) }
	clock := l.T("date.time", "hour", twoDigits(t.Hour()), "minute", twoDigits(t.Minute()))
	return l.T("date.datetime", "date", l.Date(t), "time", clock)
}
