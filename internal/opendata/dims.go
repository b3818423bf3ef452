// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"strings"

	"github.com/amparo-project/amparo/internal/observations"
)

// The SDMX structure open data is written in, after the SDG Global
// Database's: the series key is FREQ, REF_AREA, SERIES and the
// disaggregation dimensions (disaggDims, "_T" for a total), then
// TIME_PERIOD; the attributes follow the measure.
const (
	Agency      = "AMPARO"
	DataflowID  = "DF_MIGRATION"
	DataflowVer = "1.0"
	// StructureID names the dataflow in SDMX-CSV's STRUCTURE_ID column.
	StructureID = Agency + ":" + DataflowID + "(" + DataflowVer + ")"
	dataflowURN = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=" + StructureID
)

// disaggDims are the disaggregation dimensions in their order in the key;
// they are the dimensions of observations.Dimensions.
var disaggDims = [...]string{"SEX", "AGE", "URBANISATION", "MIGRATORY_STATUS", "CITIZENSHIP",
	"COUNTRY_OF_BIRTH", "DISABILITY_STATUS", "ITEM"}

type disaggCodes [len(disaggDims)]string

func dimIndex(dim string) int {
	for i, d := range disaggDims {
		if d == dim {
			return i
		}
	}
	return -1
}

// splitDisagg reads a stored disaggregation key ("AGE=Y15T64;SEX=F") into
// one code per dimension, "_T" for those it leaves out. Stored keys were
// checked when written, so this only splits.
func splitDisagg(key string) disaggCodes {
	var c disaggCodes
	for i := range c {
		c[i] = observations.Total
	}
	for key != "" {
		var pair string
		pair, key, _ = strings.Cut(key, ";")
		dim, code, _ := strings.Cut(pair, "=")
		if i := dimIndex(dim); i >= 0 {
			c[i] = code
		}
	}
	return c
}

// freqOf is the SDMX FREQ code of a stored period: A, S, Q or M.
func freqOf(period string) string {
	switch {
	case len(period) == 4:
		return "A"
	case strings.Contains(period, "-S"):
		return "S"
	case strings.Contains(period, "-Q"):
		return "Q"
	}
	return "M"
}

// areaKind says which HXL column an area goes in.
func areaKind(code string) int {
	switch {
	case observations.IsRegionArea(code):
		return areaRegion
	case strings.Contains(code, "-"):
		return areaSubdivision
	}
	return areaCountry
}

const (
	areaCountry = iota
	areaRegion
	areaSubdivision
)

// Dimensions lists the dimensions of the structure, in key order.
func Dimensions() []string {
	return append(append([]string{"FREQ", "REF_AREA", "SERIES"}, disaggDims[:]...), "TIME_PERIOD")
}

// Attributes lists the attributes of the structure.
func Attributes() []string { return append([]string(nil), attributeIDs...) }
