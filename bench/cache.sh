#!/usr/bin/env bash
# Cache benchmark: a git repository made from the Django 5.2 sdist
# (2,818 .py files), timed in one run: cold (empty cache) against
# `ruff check --select C901 --no-cache`; warm with nothing changed against
# `git status`; warm with one file edited; warm after a threshold change.
#
# Usage: bench/cache.sh [RUNS]   (run bench/compare.sh once first: it
# installs the reference tools and fetches the corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
root="$(pwd)"
work="$root/bench/.work"
[ -d "$work/corpus/Django-5.2" ] || { echo "run bench/compare.sh first" >&2; exit 2; }
python="$(command -v python3)"

cargo build --release --quiet
repo="$work/repo"
if [ ! -d "$repo/.git" ]; then
    rm -rf "$repo"
    cp -r "$work/corpus/Django-5.2" "$repo"
    git -C "$repo" init -q
    git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm corpus
fi
git -C "$repo" checkout -q -- .
git -C "$repo" update-index -q --really-refresh || true
printf 'ignore_patterns = []\n' > "$repo/.antipasta.toml"
cache="$work/repo-cache"
bin="$root/target/release/antipasta"
edited="django/utils/text.py"

cd "$repo"
rm -rf "$cache"
"$bin" check --quiet --cache-dir "$cache" > /dev/null || true
"$python" "$root/bench/measure.py" --runs "$runs" \
    "antipasta warm, nothing changed::$bin check --quiet --cache-dir $cache" \
    "git status::git status --porcelain" \
    "antipasta cold (empty cache)::rm -rf $cache ;; $bin check --quiet --cache-dir $cache" \
    "ruff --select C901 --no-cache::$work/venv/bin/ruff check --isolated --select C901 --no-cache --quiet ." \
    "antipasta warm, one file edited::sh -c 'echo \"# edit \$\$\" >> $edited' ;; $bin check --quiet --cache-dir $cache" \
    "antipasta warm, threshold changed::$bin check --quiet --cache-dir $cache -t cyc=5"
git checkout -q -- .
