// SPDX-License-Identifier: AGPL-3.0-or-later

// Package opendata publishes the published observations to anyone, without
// an account, and pulls other Amparo instances' published observations in.
//
// Out: every series with published values, its metadata, and its values as
// JSON, CSV, SDMX-CSV 2.0, SDMX-JSON 2.0 or HXL-tagged CSV, with the
// dimensions of the SDG Global Database (FREQ, REF_AREA as M49, SERIES,
// SEX, AGE… with _T for totals, TIME_PERIOD). Values are written to the
// response as the database gives them (observations.Service.Each), so a
// series of millions of values never sits in memory. Each answer carries
// an ETag made of the series' latest publication, the query and the format,
// so that clients and caches ask again cheaply.
//
// In: a harvest source is another instance's address, with the series and
// areas to take. A run fetches that instance's open data as SDMX-CSV,
// checks every row and writes them as one all-or-nothing batch of kind
// "harvest" whose origin is the source — the provenance — as drafts that
// follow this instance's own approval. Outbound connections go only to the
// hosts of an allow-list that is empty unless configured (SECURITY-BAR 25).
package opendata
