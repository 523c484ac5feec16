#!/usr/bin/env bash
# Runs antipasta 1.2 (from PyPI, in a venv) and this antipasta with the
# same 1.x .antipasta.yaml files on the same tree (requests and rich
# sdists from PyPI, preact's src from the JavaScript corpus) and compares
# the (path, function, metric) violations. Prints the figures the README's
# migration section quotes; fails on a difference of a kind it does not list.
#
# Usage: tests/migrate/compare_1x.sh [ANTIPASTA_BINARY]
# Needs python3 with venv and network access to PyPI; skips (exit 0, with
# a loud message) without them unless ANTIPASTA_REQUIRE_1X=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
binary="${1:-$repo/target/debug/antipasta}"
work="${ANTIPASTA_1X_WORK:-$repo/target/compare-1x}"

skip() {
    echo "compare_1x: SKIPPED: $*" >&2
    if [ "${ANTIPASTA_REQUIRE_1X:-0}" = 1 ]; then exit 1; fi
    exit 0
}

command -v python3 >/dev/null || skip "python3 not found"
[ -x "$binary" ] || { echo "compare_1x: no antipasta binary at $binary" >&2; exit 1; }
# The runs below happen inside the tree: a relative path would not be found there.
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
mkdir -p "$work"
venv="$work/venv"
if [ ! -x "$venv/bin/antipasta" ]; then
    python3 -m venv "$venv" || skip "python3 -m venv failed"
    "$venv/bin/pip" install -q --disable-pip-version-check "antipasta==1.2.0" \
        || skip "pip install antipasta==1.2.0 failed (no network?)"
fi
[ "$("$venv/bin/antipasta" --version)" = "antipasta, version 1.2.0" ] || { echo "compare_1x: not antipasta 1.2.0" >&2; exit 1; }

# The tree: pinned sdists, checked by hash.
sdists="$work/sdists"
mkdir -p "$sdists"
while read -r spec hash; do
    file="$sdists/${spec/==/-}.tar.gz"
    if [ ! -f "$file" ]; then
        "$venv/bin/pip" download -q --disable-pip-version-check --no-deps --no-binary :all: "$spec" -d "$sdists" \
            || skip "pip download $spec failed"
    fi
    echo "$hash  $file" | sha256sum -c --quiet - || { echo "compare_1x: $file: hash mismatch" >&2; exit 1; }
done <<'PINS'
requests==2.32.3 55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760
rich==13.9.4 439594978a49a09530cff7ebc4b5c7103ef57baf48d5ea3184f21d9a2befa098
PINS
tree="$work/tree"
rm -rf "$tree"
mkdir -p "$tree"
for archive in "$sdists"/*.tar.gz; do tar xzf "$archive" -C "$tree"; done
# A 140 KB table of emoji names on which 1.2 spends minutes: left out.
rm "$tree/rich-13.9.4/rich/_emoji_codes.py"
preact="$repo/fixtures/javascript/corpus/preact-11.2.0/src"
if [ -d "$preact" ]; then
    mkdir -p "$tree/preact" && cp -r "$preact" "$tree/preact/src"
else
    echo "compare_1x: note: $preact missing (run fixtures/fetch.sh); comparing Python only" >&2
fi
# No repository around the tree: both tools see the same plain directory.
git init -q "$tree"

status=0
for config in readme_example generated only_cyclomatic directory_ignores; do
    cp "$here/$config.yaml" "$tree/.antipasta.yaml"
    started=$SECONDS
    (cd "$tree" && ANTIPASTA_NO_CACHE=1 "$venv/bin/antipasta" metrics -d . -q --format json >"$work/$config.1x.json" 2>"$work/$config.1x.err") || true
    (cd "$tree" && "$binary" check --no-cache --format json . >"$work/$config.new.json" 2>"$work/$config.new.err") || true
    echo "compare_1x: $config: both runs took $((SECONDS - started)) s" >&2
    python3 "$here/compare_1x.py" "$work/$config.1x.json" "$work/$config.new.json" "$config" || status=1
done
exit $status
