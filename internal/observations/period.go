// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Period is a reporting period: a year, a half, a quarter or a month.
// Text is its one spelling in the database ("2020", "2020-S1", "2020-Q3",
// "2020-07"); Start and End are its first and last day (UTC).
type Period struct {
	Text  string
	Freq  byte // 'A' annual, 'S' half-yearly, 'Q' quarterly, 'M' monthly
	Year  int
	Index int // 1-based half, quarter or month; 1 for a year
	Start time.Time
	End   time.Time
}

// ErrPeriod is returned for a period that is none of the accepted forms.
var ErrPeriod = errors.New("observations: period must be a year (2020), half (2020-S1), quarter (2020-Q3) or month (2020-07)")

// ParsePeriod reads a period in Amparo's spelling or in SDMX's reporting
// period forms ("2020-A1", "2020-M07"), which imports from SDMX meet.
func ParsePeriod(s string) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < 4 {
		return Period{}, ErrPeriod
	}
	year, err := strconv.Atoi(s[:4])
	if err != nil || !isDigits(s[:4]) || year < 1900 || year > 2200 {
		return Period{}, ErrPeriod
	}
	if len(s) == 4 {
		return makePeriod('A', year, 1), nil
	}
	if s[4] != '-' || len(s) < 6 {
		return Period{}, ErrPeriod
	}
	rest := s[5:]
	freq := byte('M')
	if rest[0] >= 'A' && rest[0] <= 'Z' {
		freq, rest = rest[0], rest[1:]
	}
	if !isDigits(rest) || len(rest) == 0 || len(rest) > 2 {
		return Period{}, ErrPeriod
	}
	n, _ := strconv.Atoi(rest)
	limit := map[byte]int{'A': 1, 'S': 2, 'Q': 4, 'M': 12}[freq]
	if limit == 0 || n < 1 || n > limit || (freq != 'M' && len(rest) != 1) || (freq == 'M' && len(rest) != 2) {
		return Period{}, ErrPeriod
	}
	return makePeriod(freq, year, n), nil
}

func makePeriod(freq byte, year, n int) Period {
	months := map[byte]int{'A': 12, 'S': 6, 'Q': 3, 'M': 1}[freq]
	start := time.Date(year, time.Month((n-1)*months+1), 1, 0, 0, 0, 0, time.UTC)
	p := Period{Freq: freq, Year: year, Index: n, Start: start, End: start.AddDate(0, months, -1)}
	y := strconv.Itoa(year)
	switch freq {
	case 'A':
		p.Text = y
	case 'S':
		p.Text = y + "-S" + strconv.Itoa(n)
	case 'Q':
		p.Text = y + "-Q" + strconv.Itoa(n)
	default:
		p.Text = y + "-" + twoDigits(n)
	}
	return p
}

// SDMX is the period in SDMX's TIME_PERIOD spelling, which for Amparo's
// forms is the same text.
func (p Period) SDMX() string { return p.Text }

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
