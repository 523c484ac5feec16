#!/usr/bin/env bash
# Parse speed of each patched grammar (grammars/) against the published
# crate it is based on, on the fixture corpora, with the pinned tree-sitter
# CLI's `parse --stat` (bytes/ms; runs alternate, the median is shown).
#
# Usage: TREE_SITTER=/path/to/tree-sitter bench/grammars.sh [RUNS]   (default 5)
# Needs: the CLI of grammars/regenerate.sh, a C compiler, the fetched
# corpora (fixtures/*/fetch_corpus.sh) and the published crates in
# ~/.cargo/registry (any cargo build of antipasta before the patch fetched them).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
tree_sitter=${TREE_SITTER:-tree-sitter}
registry=$(ls -d "$HOME"/.cargo/registry/src/*/ | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

find "$PWD"/fixtures/python/corpus -name '*.py' >"$work/python"
find "$PWD"/fixtures/javascript/corpus -name '*.js' >"$work/javascript"
find "$PWD"/fixtures/javascript/corpus -name '*.ts' ! -name '*.d.ts' >"$work/typescript"

speed() { # grammar directory, file list
    (cd "$1" && "$tree_sitter" parse -q --stat --paths "$2" </dev/null 2>&1 |
        sed -n 's/.*average speed: \([0-9]*\) bytes\/ms.*/\1/p')
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

while read -r name published patched; do
    : >"$work/a"; : >"$work/b"
    for _ in $(seq "$runs"); do
        speed "$registry/$published" "$work/$name" >>"$work/a"
        speed "grammars/$patched" "$work/$name" >>"$work/b"
    done
    printf '%-10s published %6s bytes/ms   patched %6s bytes/ms   (%s files)\n' \
        "$name" "$(median <"$work/a")" "$(median <"$work/b")" "$(wc -l <"$work/$name")"
done <<'LIST'
python tree-sitter-python-0.25.0 python
javascript tree-sitter-javascript-0.25.0 javascript
typescript tree-sitter-typescript-0.23.2/typescript typescript/typescript
LIST
