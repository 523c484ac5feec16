#!/usr/bin/env bash
# Regenerates the patched grammars' parsers from their grammar sources with
# the pinned tree-sitter CLI (see grammars/PATCHES.md).
#
#   grammars/regenerate.sh           regenerate in place
#   grammars/regenerate.sh --check   regenerate into a scratch copy and fail
#                                    unless every committed generated file is
#                                    reproduced byte for byte, then run
#                                    the patches' corpus tests
#
# Needs the pinned CLI (`cargo install tree-sitter-cli --version 0.25.9
# --locked`, or point TREE_SITTER at it) and Node.js, which the CLI uses to
# evaluate grammar.js.
set -euo pipefail

pinned=0.25.9
tree_sitter=${TREE_SITTER:-tree-sitter}
here=$(cd "$(dirname "$0")" && pwd)

if ! version=$("$tree_sitter" --version 2>/dev/null); then
    echo "regenerate.sh: no tree-sitter CLI; cargo install tree-sitter-cli --version $pinned --locked" >&2
    exit 2
fi
case "$version" in
    "tree-sitter $pinned"*) ;;
    *)
        echo "regenerate.sh: found '$version', need tree-sitter $pinned" >&2
        exit 2
        ;;
esac

mode=${1:-}
root=$here
if [ "$mode" = --check ]; then
    root=$(mktemp -d)
    trap 'rm -rf "$root"' EXIT
    cp -R "$here/javascript" "$here/python" "$here/typescript" "$root/"
fi

# grammar directory, ABI (the ABI the published crate's parser uses)
generate() {
    (cd "$root/$1" && "$tree_sitter" generate --abi "$2" >/dev/null)
}

generate javascript 15
generate python 15
# The TypeScript grammars extend tree-sitter-javascript 0.23.1's grammar.js,
# the version the published tree-sitter-typescript 0.23.2 was generated from.
export NODE_PATH="$root/typescript/base"
generate typescript/typescript 14
generate typescript/tsx 14

if [ "$mode" = --check ]; then
    status=0
    for grammar in javascript python typescript/typescript typescript/tsx; do
        for file in grammar.json node-types.json parser.c tree_sitter/parser.h tree_sitter/alloc.h tree_sitter/array.h; do
            if ! cmp -s "$here/$grammar/src/$file" "$root/$grammar/src/$file"; then
                echo "regenerate.sh: grammars/$grammar/src/$file differs from its regeneration" >&2
                status=1
            fi
        done
    done
    [ $status = 0 ] && echo "regenerate.sh: all generated files reproduced byte for byte"
    # The patches' corpus cases (test/corpus/antipasta.txt).
    for grammar in javascript python typescript/typescript; do
        (cd "$here/$grammar" && "$tree_sitter" test >/dev/null) || {
            echo "regenerate.sh: tree-sitter test fails in grammars/$grammar" >&2
            status=1
        }
    done
    exit $status
fi
