#!/usr/bin/env bash
# Side-by-side timing of `antipasta check` (all metrics; without cache and
# with a warm cache) against
# radon (cc + hal + raw + mi), complexipy and `ruff check --select C901`
# on the Django 5.2 sdist (2,818 .py files), in one run.
#
# Usage: bench/compare.sh [RUNS]   (default 3 runs each; the median is shown)
# Needs: cargo, python3 with pip and venv, PyPI reachable. Everything is
# installed under bench/.work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
work="bench/.work"
mkdir -p "$work"

# Prefer CPython 3.12 (the reference version); fall back to any python3.
python=""
for candidate in "${PYTHON312:-}" python3.12 "$HOME"/.pyenv/versions/3.12*/bin/python3 python3; do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys' >/dev/null 2>&1; then
        python="$candidate"
        break
    fi
done
if [ ! -x "$work/venv/bin/radon" ]; then
    echo "setting up reference tools in $work/venv ($("$python" --version))" >&2
    "$python" -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet radon==6.0.1 complexipy==8.3.0 ruff==0.14.6
fi

corpus="$work/corpus/Django-5.2"
if [ ! -d "$corpus" ]; then
    echo "fetching the Django 5.2 sdist from PyPI" >&2
    "$python" -m pip download --quiet --no-deps --no-binary :all: django==5.2 -d "$work/download"
    mkdir -p "$work/corpus"
    tar xzf "$work/download/"[Dd]jango-5.2.tar.gz -C "$work/corpus"
fi

cargo build --release --quiet
printf 'ignore_patterns = []\n' > "$work/antipasta.toml"
# Fill the cache once so the warm row measures hits only.
rm -rf "$work/cache"
target/release/antipasta check "$corpus" --config "$work/antipasta.toml" --format json --quiet --cache-dir "$work/cache" > /dev/null || true

files=$(find "$corpus" -name '*.py' | wc -l)
megabytes=$(find "$corpus" -name '*.py' -print0 | du -cm --files0-from=- | tail -1 | cut -f1)
echo "corpus: $corpus ($files .py files, ${megabytes} MB), $(nproc) cores, $runs runs each"

"$python" bench/measure.py --runs "$runs" \
    "antipasta check (all metrics, no cache)::target/release/antipasta check $corpus --config $work/antipasta.toml --format json --quiet --no-cache" \
    "antipasta check (warm cache)::target/release/antipasta check $corpus --config $work/antipasta.toml --format json --quiet --cache-dir $work/cache" \
    "radon cc+hal+raw+mi::$work/venv/bin/radon cc -j $corpus ;; $work/venv/bin/radon hal -j $corpus ;; $work/venv/bin/radon raw -j $corpus ;; $work/venv/bin/radon mi -j $corpus" \
    "complexipy::$work/venv/bin/complexipy $corpus --quiet" \
    "ruff --select C901 --no-cache::$work/venv/bin/ruff check --isolated --select C901 --no-cache --quiet $corpus"
