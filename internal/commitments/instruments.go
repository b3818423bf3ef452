// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// Instrument is a treaty or convention whose status is recorded.
type Instrument struct {
	Code string `json:"code"`
	// Title and Short hold the official title and the customary short
	// name by language code (en, fr, es, ru, ar, zh).
	Title          map[string]string `json:"titles"`
	Short          map[string]string `json:"short_names"`
	Adopted        string            `json:"adopted"`
	EntryIntoForce string            `json:"entry_into_force"`
	AdoptedBy      string            `json:"adopted_by"`
	Place          string            `json:"place"`
	Depositary     string            `json:"depositary"`
	Source         string            `json:"source"`
}

// Name returns the instrument's title in lang, or in English.
func (in Instrument) Name(lang string) string { return pick(in.Title, lang) }

// ShortName returns the customary short name in lang, or in English, or
// the code.
func (in Instrument) ShortName(lang string) string {
	if s := pick(in.Short, lang); s != "" {
		return s
	}
	return in.Code
}

func pick(m map[string]string, lang string) string {
	if s := m[lang]; s != "" {
		return s
	}
	return m["en"]
}

// Catalog is a fixed list of instruments, looked up by code. The shipped
// one is Instruments(); tests and benchmarks may build others.
type Catalog struct {
	list   []Instrument
	byCode map[string]int
}

// NewCatalog checks and indexes a list of instruments: codes unique and
// upper case, adoption dates valid.
func NewCatalog(list []Instrument) (*Catalog, error) {
	c := &Catalog{list: list, byCode: make(map[string]int, len(list))}
	for i, in := range list {
		if in.Code == "" || in.Code != strings.ToUpper(in.Code) {
			return nil, fmt.Errorf("commitments: instrument %d: code %q must be non-empty upper case", i, in.Code)
		}
		if _, dup := c.byCode[in.Code]; dup {
			return nil, fmt.Errorf("commitments: instrument code %q appears twice", in.Code)
		}
		if !validDate(in.Adopted) {
			return nil, fmt.Errorf("commitments: instrument %s: adoption date %q is not YYYY-MM-DD", in.Code, in.Adopted)
		}
		if in.Title["en"] == "" {
			return nil, fmt.Errorf("commitments: instrument %s has no English title", in.Code)
		}
		c.byCode[in.Code] = i
	}
	return c, nil
}

// All returns the instruments in catalogue order. The slice is shared and
// must not be changed.
func (c *Catalog) All() []Instrument { return c.list }

// Lookup finds an instrument by code, ignoring case and surrounding space.
func (c *Catalog) Lookup(code string) (Instrument, bool) {
	i, ok := c.byCode[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Instrument{}, false
	}
	return c.list[i], true
}

//go:embed data/instruments.json
var instrumentsJSON []byte

var shipped = mustCatalog(instrumentsJSON)

func mustCatalog(b []byte) *Catalog {
	var file struct {
		Instruments []Instrument `json:"instruments"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		panic(fmt.Sprintf("commitments: data/instruments.json: %v", err))
	}
	c, err := NewCatalog(file.Instruments)
	if err != nil {
		panic(err)
	}
	return c
}

// Instruments returns the shipped catalogue.
func Instruments() *Catalog { return shipped }
