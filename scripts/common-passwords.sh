#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Regenerates internal/password/common-passwords.txt: the first 10,000 entries
# of the frequency-ordered password list in the npm package
# @zxcvbn-ts/language-common 4.1.3 (MIT), one per line.
# See internal/password/common-passwords.SOURCE.md.
#
# Needs npm, node, tar and sha256sum. The tarball's SHA-256 is pinned so that a
# changed upstream artefact fails loudly instead of silently changing the list.
set -eu

pkg='@zxcvbn-ts/language-common'
version='4.1.3'
tarball_sha256='bf3027c16c069d7877e25dc8751bc819e10e479afcc5ee1a323eb2ab73129ca9'
count=10000

repo_root=$(cd "$(dirname "$0")/.." && pwd)
out="$repo_root/internal/password/common-passwords.txt"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
tgz="$tmp/zxcvbn-ts-language-common-$version.tgz"
echo "$tarball_sha256  $tgz" | sha256sum -c --quiet -
tar -xzf "$tgz" -C "$tmp"

node -e '
const list = require(process.argv[1]);
const n = Number(process.argv[2]);
if (!Array.isArray(list) || list.length < n) {
  throw new Error("passwords.json is not an array of at least " + n + " entries");
}
for (const pw of list.slice(0, n)) {
  if (typeof pw !== "string" || pw === "" || /[\s]/.test(pw)) {
    throw new Error("unexpected entry in passwords.json");
  }
  process.stdout.write(pw + "\n");
}
' "$tmp/package/src/passwords.json" "$count" >"$tmp/common-passwords.txt"
cp "$tmp/common-passwords.txt" "$out"
echo "wrote $(wc -l <"$out") entries to $out"
