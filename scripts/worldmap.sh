#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Regenerates internal/chart/world/countries-110m.json: Natural Earth's
# 1:110m country shapes as TopoJSON, copied unchanged from the npm package
# world-atlas 2.0.2 (ISC). See internal/chart/world/SOURCE.md.
#
# Needs npm, tar and sha256sum. Both the tarball's and the file's SHA-256 are
# pinned so that a changed upstream artefact fails loudly instead of silently
# changing the map.
set -euo pipefail

pkg='world-atlas'
version='2.0.2'
tarball_sha256='032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97'
file_sha256='2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8'

repo_root=$(cd "$(dirname "$0")/.." && pwd)
out="$repo_root/internal/chart/world/countries-110m.json"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
tgz="$tmp/$pkg-$version.tgz"
echo "$tarball_sha256  $tgz" | sha256sum -c --quiet -
tar -xzf "$tgz" -C "$tmp"
echo "$file_sha256  $tmp/package/countries-110m.json" | sha256sum -c --quiet -

mkdir -p "$(dirname "$out")"
cp "$tmp/package/countries-110m.json" "$out"
echo "wrote $out"
