// SPDX-License-Identifier: AGPL-3.0-or-later

// Checks internal/commitments/data/ against itself and against
// internal/countries/countries.json: every field present and well formed,
// every country and instrument code known, no action dated after the status
// date that vouches for it or before the instrument existed.
//
// Usage: node scripts/refdata/check-commitments.mjs   (exit status 1 on any problem)

import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const read = (p) => fs.readFileSync(path.join(root, p), 'utf8')
const problems = []
const fail = (msg) => problems.push(msg)

const LANGS = ['en', 'fr', 'es', 'ru', 'ar', 'zh']
const isDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(s + 'T00:00:00Z').toISOString().slice(0, 10) === s

const countries = new Set(JSON.parse(read('internal/countries/countries.json')).countries.map((c) => c.alpha3))

const instruments = new Map()
for (const i of JSON.parse(read('internal/commitments/data/instruments.json')).instruments) {
  const where = `instrument ${i.code}`
  if (instruments.has(i.code)) fail(`${where}: listed twice`)
  instruments.set(i.code, i)
  for (const l of LANGS) if (!i.titles?.[l]?.trim()) fail(`${where}: no ${l} title`)
  for (const k of ['adopted', 'entry_into_force']) if (!isDate(i[k] ?? '')) fail(`${where}: bad ${k} ${i[k]}`)
  if (i.entry_into_force < i.adopted) fail(`${where}: in force before adoption`)
  for (const k of ['adopted_by', 'place', 'depositary', 'source']) if (!i[k]?.trim()) fail(`${where}: no ${k}`)
  if (!/^https:\/\//.test(i.source ?? '')) fail(`${where}: source is not an https URL`)
  if (!['un', 'ilo'].includes(i.family)) fail(`${where}: family ${i.family}`)
  if (!i.authentic_languages?.length || i.authentic_languages.some((l) => !LANGS.includes(l))) fail(`${where}: authentic_languages`)
}

const lines = read('internal/commitments/data/ratifications.csv').split('\n')
const HEADER = 'country,instrument,action,date,source,as_of'
if (lines[0] !== HEADER) fail(`ratifications.csv: header is ${JSON.stringify(lines[0])}, want ${HEADER}`)
const seen = new Set()
for (const [n, line] of lines.slice(1).entries()) {
  if (line === '') continue
  const where = `ratifications.csv line ${n + 2}`
  const f = line.split(',')
  if (f.length !== 6) { fail(`${where}: ${f.length} fields`); continue }
  const [country, code, action, date, source, asOf] = f
  if (!countries.has(country)) fail(`${where}: unknown country ${country}`)
  const inst = instruments.get(code)
  if (!inst) fail(`${where}: unknown instrument ${code}`)
  if (!['signature', 'ratification', 'accession', 'succession'].includes(action)) fail(`${where}: action ${action}`)
  if (!isDate(date)) fail(`${where}: date ${date}`)
  if (!isDate(asOf)) fail(`${where}: as_of ${asOf}`)
  if (date > asOf) fail(`${where}: dated after its as_of`)
  if (inst && date < inst.adopted) fail(`${where}: dated before the instrument was adopted`)
  if (!source.trim()) fail(`${where}: no source`)
  const key = `${country},${code},${action === 'signature' ? 'signature' : 'consent'}`
  if (seen.has(key)) fail(`${where}: second ${action} for ${country} ${code}`)
  seen.add(key)
}

if (problems.length) {
  for (const p of problems) console.error(p)
  process.exit(1)
}
console.error(`ok: ${instruments.size} instruments, ${seen.size} ratification rows`)
