// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"mime"
	"slices"
	"strconv"
	"strings"
)

// Format is how values are written.
type Format string

const (
	FormatJSON     Format = "json"
	FormatCSV      Format = "csv"
	FormatSDMXCSV  Format = "sdmx-csv"
	FormatSDMXJSON Format = "sdmx-json"
	FormatHXL      Format = "hxl"
)

// Formats lists the formats in the order the index offers them.
func Formats() []Format {
	return []Format{FormatJSON, FormatCSV, FormatSDMXCSV, FormatSDMXJSON, FormatHXL}
}

// Media types of the SDMX formats (SDMX-CSV 2.0.0, SDMX-JSON 2.0.0).
const (
	MediaSDMXCSV  = "application/vnd.sdmx.data+csv"
	MediaSDMXJSON = "application/vnd.sdmx.data+json"
	sdmxVersion   = "2.0.0"
)

// ContentType is the Content-Type a format is answered with.
func (f Format) ContentType() string {
	switch f {
	case FormatCSV:
		return "text/csv; charset=utf-8; header=present"
	case FormatHXL:
		return "text/csv; charset=utf-8; header=present"
	case FormatSDMXCSV:
		return MediaSDMXCSV + "; version=" + sdmxVersion + "; charset=utf-8"
	case FormatSDMXJSON:
		return MediaSDMXJSON + "; version=" + sdmxVersion + "; charset=utf-8"
	}
	return "application/json"
}

// Extension is the file name extension of a download in the format.
func (f Format) Extension() string {
	switch f {
	case FormatJSON, FormatSDMXJSON:
		return ".json"
	}
	return ".csv"
}

// ErrFormat is a format neither the parameter nor the Accept header names
// one of (406).
type ErrFormat struct{}

func (ErrFormat) Error() string { return "opendata: no acceptable format" }

// Negotiate picks the format: ?format= when given, else the Accept
// header's most preferred type that is offered (JSON when it accepts
// anything or is absent). SDMX types are offered in version 2.0.0 only.
func Negotiate(param, accept string) (Format, error) {
	if param != "" {
		f := Format(strings.ToLower(param))
		if !slices.Contains(Formats(), f) {
			return "", ErrFormat{}
		}
		return f, nil
	}
	if strings.TrimSpace(accept) == "" {
		return FormatJSON, nil
	}
	type choice struct {
		f Format
		q float64
	}
	var best *choice
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(s, 64); err != nil || q <= 0 {
				continue
			}
		}
		f, ok := formatFor(mt, params["version"])
		if !ok {
			continue
		}
		if best == nil || q > best.q {
			best = &choice{f, q}
		}
	}
	if best == nil {
		return "", ErrFormat{}
	}
	return best.f, nil
}

func formatFor(mediaType, version string) (Format, bool) {
	sdmxOK := version == "" || version == sdmxVersion
	switch mediaType {
	case MediaSDMXCSV:
		return FormatSDMXCSV, sdmxOK
	case MediaSDMXJSON:
		return FormatSDMXJSON, sdmxOK
	case "text/csv", "text/*":
		return FormatCSV, true
	case "application/json", "application/*", "*/*":
		return FormatJSON, true
	}
	return "", false
}
