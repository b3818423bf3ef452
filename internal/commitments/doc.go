// SPDX-License-Identifier: AGPL-3.0-or-later

// Package commitments records which state has signed, ratified, acceded or
// succeeded to which of the international instruments that the UN texts on
// the protection of migrants name (A/68/190 point 1; the resolution's
// ¶3(d) and ¶5(j)), and since when.
//
// Instruments are reference data shipped in the binary (data/), each with
// its adoption date and depositary. A ratification record is one action of
// one state on one instrument, with the date, the published source that
// establishes it and the date the source speaks for (as_of). Nothing is
// derived by guessing: a state with no record has "no data", never "not a
// party", because the shipped records are known to be incomplete.
//
// Records are public facts, so reading them needs no permission; writing
// them needs ratification.write, and every write (one record, or one
// import of a file) is audited. Imports validate the whole file first and
// change nothing unless every row is valid.
package commitments
