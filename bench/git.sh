#!/usr/bin/env bash
# Git-mode benchmark on a repository made from the Django 5.2 sdist (2,818
# .py files), timed in one run against git's own diff of the same change:
#   `check --staged` with 10 staged files   vs `git diff --cached --stat`
#   `diff HEAD~1` after a 20-file commit    vs `git diff HEAD~1 --stat`
#   `diff HEAD~1 HEAD` of that commit        vs `git diff HEAD~1 HEAD --stat`
#   `diff HEAD~1 HEAD`, 5,000 files added, then moved (`git mv`), likewise
# each warm (result cache filled by a first run) and uncached (--no-cache).
#
# Usage: bench/git.sh [RUNS]   (run bench/compare.sh once first: it
# installs the reference tools and fetches the corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
root="$(pwd)"
work="$root/bench/.work"
[ -d "$work/corpus/Django-5.2" ] || { echo "run bench/compare.sh first" >&2; exit 2; }
python="$(command -v python3)"

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$root/target}/release/antipasta"
repo="$work/git-repo"
cache="$work/git-cache"
commit() { git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm "$1"; }
# A new function appended to each touched file: real added code to score.
touch_file() {
    printf '\n\ndef bench_added_%s(a, b):\n    if a and b:\n        return [x for x in a if x]\n    return b\n' "$2" >> "$repo/$1"
}

rm -rf "$repo" "$cache"
cp -r "$work/corpus/Django-5.2" "$repo"
printf 'ignore_patterns = []\n' > "$repo/.antipasta.toml"
git -C "$repo" init -q
git -C "$repo" add -A
commit corpus
mapfile -t python_files < <(git -C "$repo" ls-files 'django/*.py' | head -n 30)
for i in $(seq 0 19); do touch_file "${python_files[$i]}" "$i"; done
git -C "$repo" add -A
commit "20 files"
cd "$repo"
# As in any working repository, the index is written after the files it
# describes: entries modified in the index's own second are "racy" (git's
# rule), must be read to be trusted, and would all be after a bulk copy.
sleep 1
git update-index -q --really-refresh || true
echo "repository: $(git ls-files | wc -l) files; HEAD~1..HEAD: 20 files, clean worktree"
"$bin" diff HEAD~1 --quiet --cache-dir "$cache" > /dev/null || true
"$python" "$root/bench/measure.py" --runs "$runs" \
    "git diff HEAD~1 --stat::git diff HEAD~1 --stat" \
    "antipasta diff HEAD~1 (warm)::$bin diff HEAD~1 --quiet --cache-dir $cache" \
    "antipasta diff HEAD~1 (no cache)::$bin diff HEAD~1 --quiet --no-cache"
"$python" "$root/bench/measure.py" --runs "$runs" \
    "git diff HEAD~1 HEAD --stat::git diff HEAD~1 HEAD --stat" \
    "antipasta diff HEAD~1 HEAD (warm)::$bin diff HEAD~1 HEAD --quiet --cache-dir $cache" \
    "antipasta diff HEAD~1 HEAD (no cache)::$bin diff HEAD~1 HEAD --quiet --no-cache"

for i in $(seq 20 29); do touch_file "${python_files[$i]}" "$i"; done
git add -A
sleep 1
git update-index -q --really-refresh || true
echo "staged: 10 files"
"$bin" check --staged --quiet --cache-dir "$cache" > /dev/null || true
"$python" "$root/bench/measure.py" --runs "$runs" \
    "git diff --cached --stat::git diff --cached --stat" \
    "antipasta check --staged (warm)::$bin check --staged --quiet --cache-dir $cache" \
    "antipasta check --staged (no cache)::$bin check --staged --quiet --no-cache"

# A 5,000-file diff: 5,000 files added in one commit, then the same files
# moved to another directory (`git mv`: renames git pairs by blob id).
commit "10 staged files"
count=0
for copy in a b; do
    while read -r file; do
        [ "$count" -lt 5000 ] || break
        mkdir -p "big/$copy/$(dirname "$file")"
        cp "$file" "big/$copy/$file"
        count=$((count + 1))
    done < <(git ls-files '*.py')
done
git add -A
commit "5,000 files added"
sleep 1
git update-index -q --really-refresh || true
echo "HEAD~1..HEAD: $count files added"
"$bin" diff HEAD~1 HEAD --quiet --cache-dir "$cache" > /dev/null || true
"$python" "$root/bench/measure.py" --runs "$runs" \
    "git diff HEAD~1 HEAD --stat::git diff HEAD~1 HEAD --stat" \
    "antipasta diff HEAD~1 HEAD, added (warm)::$bin diff HEAD~1 HEAD --quiet --cache-dir $cache" \
    "antipasta diff HEAD~1 HEAD, added (no cache)::$bin diff HEAD~1 HEAD --quiet --no-cache"

git mv big moved
commit "5,000 files moved"
sleep 1
git update-index -q --really-refresh || true
echo "HEAD~1..HEAD: $count files moved ($(git diff -M HEAD~1 HEAD --name-status | grep -c '^R') renames for git)"
"$bin" diff HEAD~1 HEAD --quiet --cache-dir "$cache" > /dev/null || true
"$python" "$root/bench/measure.py" --runs "$runs" \
    "git diff -M HEAD~1 HEAD --stat::git diff -M HEAD~1 HEAD --stat" \
    "antipasta diff HEAD~1 HEAD, moved (warm)::$bin diff HEAD~1 HEAD --quiet --cache-dir $cache" \
    "antipasta diff HEAD~1 HEAD, moved (no cache)::$bin diff HEAD~1 HEAD --quiet --no-cache"
