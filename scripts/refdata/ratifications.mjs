// SPDX-License-Identifier: AGPL-3.0-or-later

// Builds internal/commitments/data/ratifications.csv from the status tables
// transcribed under scripts/refdata/untc/ (UN Treaty Collection) and
// scripts/refdata/ilo/ (ILO NORMLEX).
//
// Each .tsv keeps the depositary's own wording (participant names, dates
// like "5 Jun 2007 a") so that a reviewer can hold it against the page it
// came from line by line; this script does the mechanical part: names to
// ISO 3166-1 alpha-3, dates to YYYY-MM-DD, suffix letters to actions.
//
// Usage: node scripts/refdata/ratifications.mjs   (from the repository root)
// It fails on any participant or date it cannot map, rather than guess.

import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../..')
const out = path.join(root, 'internal/commitments/data/ratifications.csv')

const countries = JSON.parse(fs.readFileSync(path.join(root, 'internal/countries/countries.json'), 'utf8')).countries

// Depositary spellings that differ from the English names in countries.json.
// Each is the same State, checked by hand; see internal/commitments/data/SOURCE.md.
const ALIASES = {
  'Bahamas (The)': 'BHS',
  'Bolivia (Plurinational State of)': 'BOL',
  'Cabo Verde': 'CPV',
  // UNTC's "China" is the People's Republic of China (the actions listed
  // under it on these pages are all by the PRC, dated after 1971).
  'China': 'CHN',
  "Côte d'Ivoire": 'CIV',
  'Congo': 'COG',
  'Czech Republic': 'CZE',
  'Czechia': 'CZE',
  "Democratic People's Republic of Korea": 'PRK',
  'Democratic Republic of the Congo': 'COD',
  'Gambia': 'GMB',
  'Gambia (The)': 'GMB',
  'Holy See': 'VAT',
  'Iran (Islamic Republic of)': 'IRN',
  "Lao People's Democratic Republic": 'LAO',
  'Micronesia (Federated States of)': 'FSM',
  'Netherlands (Kingdom of the)': 'NLD',
  'North Macedonia': 'MKD',
  'Republic of Korea': 'KOR',
  'Republic of Moldova': 'MDA',
  'Russian Federation': 'RUS',
  'Sao Tome and Principe': 'STP',
  'St. Kitts and Nevis': 'KNA',
  'St. Lucia': 'LCA',
  'St. Vincent and the Grenadines': 'VCT',
  'State of Palestine': 'PSE',
  'Syrian Arab Republic': 'SYR',
  'Timor-Leste': 'TLS',
  'Türkiye': 'TUR',
  'United Kingdom of Great Britain and Northern Ireland': 'GBR',
  'United Republic of Tanzania': 'TZA',
  'United States of America': 'USA',
  'Venezuela (Bolivarian Republic of)': 'VEN',
  'Viet Nam': 'VNM',
}

// Participants in UNTC tables that are not States (no ISO 3166-1 code).
// Their rows are left out and reported; see SOURCE.md.
const NOT_STATES = new Set(['European Union'])

// The four kinds of act the data model records for the consent column.
// UNTC also marks acceptance (A), approval (AA) and formal confirmation (c);
// those are binding acts of another kind and are left out, never relabelled.
const CONSENT = {'': 'ratification', a: 'accession', d: 'succession'}

const byName = new Map()
for (const c of countries) byName.set(c.names.en, c.alpha3)

function alpha3(name, file) {
  const a = ALIASES[name] ?? byName.get(name)
  if (!a) throw new Error(`${file}: no ISO code for participant ${JSON.stringify(name)}`)
  return a
}

const MONTHS = {Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12}

// parseCell reads "5 Jun 2007 a" into a date and the depositary's suffix:
// none (ratification), a (accession), d (succession), A (acceptance),
// AA (approval), c (formal confirmation).
function parseCell(s, file) {
  const m = /^(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})(?: (a|d|A|AA|c))?$/.exec(s)
  if (!m || !MONTHS[m[2]]) throw new Error(`${file}: cannot read date ${JSON.stringify(s)}`)
  const [, d, mon, y, suffix] = m
  const date = `${y}-${String(MONTHS[mon]).padStart(2, '0')}-${d.padStart(2, '0')}`
  const check = new Date(date + 'T00:00:00Z')
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date) {
    throw new Error(`${file}: impossible date ${JSON.stringify(s)}`)
  }
  return {date, suffix: suffix ?? ''}
}

// statusDate turns UNTC's "03-02-2026 10:16:18 EDT" (day-month-year) or an
// ISO date into YYYY-MM-DD.
function statusDate(s, file) {
  let m = /^(\d{2})-(\d{2})-(\d{4})\b/.exec(s)
  if (m) return `${m[3]}-${m[2]}-${m[1]}`
  m = /^(\d{4}-\d{2}-\d{2})$/.exec(s)
  if (m) return m[1]
  throw new Error(`${file}: cannot read status date ${JSON.stringify(s)}`)
}

const rows = []
const left = []
for (const dir of ['untc', 'ilo']) {
  const d = path.join(here, dir)
  if (!fs.existsSync(d)) continue
  for (const f of fs.readdirSync(d).filter((n) => n.endsWith('.tsv')).sort()) {
    const file = `${dir}/${f}`
    const meta = {}
    const lines = fs.readFileSync(path.join(d, f), 'utf8').split('\n')
    for (const line of lines) {
      const m = /^# (\w+): (.*)$/.exec(line)
      if (m) meta[m[1]] = m[2].trim()
    }
    for (const k of ['instrument', 'page', 'status_as_at']) {
      if (!meta[k]) throw new Error(`${file}: missing "# ${k}:" header`)
    }
    const asOf = statusDate(meta.status_as_at, file)
    const source = meta.copy ? `${meta.page} (copy: ${meta.copy})` : meta.page
    if (source.includes(',') || source.includes('"')) throw new Error(`${file}: source must not need CSV quoting`)
    const seen = new Set()
    let signatories = 0
    let parties = 0
    for (const line of lines) {
      if (line === '' || line.startsWith('#')) continue
      const [name, sig = '', rat = ''] = line.split('\t')
      // Count every participant the page lists, shipped or not, so that the
      // totals can be held against the page's own "Signatories : N. Parties : M".
      if (sig.trim()) signatories++
      if (rat.trim()) parties++
      if (NOT_STATES.has(name.trim())) {
        if (sig.trim()) parseCell(sig.trim(), file)
        if (rat.trim()) parseCell(rat.trim(), file)
        left.push(`${file}: ${name.trim()} (not a State): ${[sig.trim(), rat.trim()].filter(Boolean).join(' / ')}`)
        continue
      }
      const a3 = alpha3(name.trim(), file)
      if (seen.has(a3)) throw new Error(`${file}: ${name} listed twice`)
      seen.add(a3)
      if (sig.trim()) {
        // A "d" in the signature column is a succession to a signature:
        // the successor State is a signatory, so it is recorded as one.
        const {date, suffix} = parseCell(sig.trim(), file)
        if (suffix !== '' && suffix !== 'd') throw new Error(`${file}: unexpected mark in signature column for ${name}: ${sig}`)
        rows.push([a3, meta.instrument, 'signature', date, source, asOf])
      }
      if (rat.trim()) {
        const {date, suffix} = parseCell(rat.trim(), file)
        const action = CONSENT[suffix]
        if (!action) {
          left.push(`${file}: ${name.trim()} ${rat.trim()} (action type outside the four recorded kinds)`)
        } else {
          rows.push([a3, meta.instrument, action, date, source, asOf])
        }
      }
    }
    if (meta.status) {
      const m = /^Signatories : (\d+)\. Parties : (\d+)$/.exec(meta.status)
      if (!m) throw new Error(`${file}: cannot read "# status:" ${JSON.stringify(meta.status)}`)
      if (Number(m[1]) !== signatories || Number(m[2]) !== parties) {
        throw new Error(`${file}: page says ${meta.status}, transcription has ${signatories} signatories and ${parties} parties`)
      }
    }
  }
}

const ORDER = {signature: 0, ratification: 1, accession: 1, succession: 1}
rows.sort((x, y) =>
  x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]) || ORDER[x[2]] - ORDER[y[2]] || x[3].localeCompare(y[3]))

const text = ['country,instrument,action,date,source,as_of', ...rows.map((r) => r.join(','))].join('\n') + '\n'
fs.writeFileSync(out, text)
console.error(`wrote ${rows.length} rows to ${path.relative(root, out)}`)
for (const l of left) console.error(`not shipped: ${l}`)
