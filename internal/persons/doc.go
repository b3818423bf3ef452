// SPDX-License-Identifier: AGPL-3.0-or-later

// Package persons records the migrants a protection organisation assists
// (A/68/190 points 1 and 4; the resolution's ¶¶4, 5 and 7): who they are,
// what makes them vulnerable, and what they consented to.
//
// A leak of a person's identity can get them detained, deported or hurt, so
// the package splits what it holds in two. The identity (names, aliases,
// date of birth, documents, phones, address, photo) is sealed under the
// person's own data key (internal/vault) and found only through keyed
// blind-index tokens, never plaintext; destroying that key (Erase) makes it
// unreadable everywhere at once, backups included. The non-identifying
// attributes (sex, year of birth, ISO country and language codes, an
// admin-1 area) stay in clear so that statistics need no decryption, and
// remain after erasure as an anonymous shell.
//
// Every function that acts for someone takes the acting access.Principal
// and decides record-level access itself (person.read, person.write,
// person.erase), answering ErrNotFound for records out of reach so that
// their existence is not revealed. Every write, every read of identity
// fields, every search and every export is written to the audit log in the
// same transaction, naming fields and never their values. Lists and search
// results are Summaries, which hold no identity and need no decryption.
package persons
