#!/bin/sh
# The pre-commit mirror under the real pre-commit framework, offline.
#
# Makes a mirror repository from this layout with update.sh (Cargo.toml's
# version, tagged v<version>), serves the wheel that packaging/test-wheel.sh
# built from a local directory (PIP_NO_INDEX=1, PIP_FIND_LINKS: pip reads
# nothing from the network), points a scratch repository's
# .pre-commit-config.yaml at the mirror and times the first run, `pre-commit
# install-hooks` from an empty PRE_COMMIT_HOME, which is the cost a user
# pays once per `rev`. Then real commits and pushes through the installed
# hooks. Also checks that the committed .pre-commit-hooks.yaml of the mirror
# is what update.sh makes from this repository's hooks.
#
# pre-commit comes from PyPI into target/precommit/venv (shared with
# tests/precommit/run.sh); the build backend of the mirror package
# (setuptools) is downloaded once into target/packaging/build-deps, so the
# local wheel directory holds everything pip needs.
#
# Exits 0 with a SKIPPED banner when pre-commit, setuptools or the wheel
# cannot be had.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$root/target/precommit
venv=$work/venv
pre_commit_version=4.7.0
setuptools_version=84.2.1
build_deps=$root/target/packaging/build-deps

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export NO_COLOR=1

skip() {
    echo "################################################################"
    echo "## SKIPPED: pre-commit mirror tests: $1"
    echo "################################################################"
    exit 0
}

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
set -- "$root"/target/packaging/wheels/antipasta-"$version"-*.whl
[ -f "$1" ] || skip "no wheel for antipasta $version in target/packaging/wheels (run packaging/test-wheel.sh)"
wheel=$1

mkdir -p "$work"
if ! "$venv/bin/pre-commit" --version 2>/dev/null | grep -qx "pre-commit $pre_commit_version"; then
    rm -rf "$venv"
    python3 -m venv "$venv" || skip "python3 -m venv failed"
    "$venv/bin/pip" install -q "pre-commit==$pre_commit_version" ||
        skip "pip could not install pre-commit==$pre_commit_version (no network?)"
fi
pre_commit=$venv/bin/pre-commit
set -- "$build_deps"/setuptools-"$setuptools_version"-*.whl
if [ ! -f "$1" ]; then
    "$venv/bin/pip" download -q --no-deps --only-binary :all: -d "$build_deps" \
        "setuptools==$setuptools_version" ||
        skip "pip could not download setuptools==$setuptools_version (no network?)"
    set -- "$build_deps"/setuptools-"$setuptools_version"-*.whl
fi
setuptools_wheel=$1

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mirror=$scratch/mirror
repo=$scratch/repo
remote=$scratch/remote.git

passed=0
failed=0
ok() {
    passed=$((passed + 1))
    echo "ok - $1"
}
fail() {
    failed=$((failed + 1))
    echo "FAIL - $1"
    echo "---- output"
    cat "$scratch/out"
    echo "----"
}
check() {
    description=$1
    shift
    if "$@"; then ok "$description"; else fail "$description"; fi
}
output_has() { grep -qF -- "$1" "$scratch/out"; }
commits() { git -C "$repo" rev-list --count HEAD; }
remote_head() { git -C "$remote" rev-parse --verify -q "refs/heads/$1" || echo none; }
run() { (cd "$repo" && "$@") >"$scratch/out" 2>&1; }
busy_py() { # cyclomatic complexity 12 (limit 10)
    echo "def $1(x):"
    i=0
    while [ $i -lt 11 ]; do
        printf '    if x == %d:\n        return %d\n' $i $i
        i=$((i + 1))
    done
    echo "    return -1"
}
hook_ids() { sed -n 's/^- id: //p' "$1"; }

echo "== the mirror for antipasta $version (update.sh --tag)"
mkdir "$mirror"
cp "$here/pyproject.toml" "$here/README.md" "$mirror/"
git -C "$mirror" init -q -b main
git -C "$mirror" add -A
git -C "$mirror" commit -q -m layout
sh "$here/update.sh" "$version" --tag "$mirror" >"$scratch/out" 2>&1 || true
check "update.sh commits and tags v$version" \
    test "$(git -C "$mirror" rev-parse -q --verify "v$version^{commit}")" = "$(git -C "$mirror" rev-parse HEAD)"
check "  pinning antipasta==$version" \
    grep -qx "dependencies = \\[\"antipasta==$version\"\\]" "$mirror/pyproject.toml"
cp "$mirror/pyproject.toml" "$scratch/pyproject.before"
if sh "$here/update.sh" '1.0"; echo pwned #' "$mirror" >"$scratch/out" 2>&1; then
    fail "update.sh refuses a version that is not a release number"
else
    check "update.sh refuses a version that is not a release number, changing nothing" \
        cmp -s "$scratch/pyproject.before" "$mirror/pyproject.toml"
fi
hook_ids "$root/.pre-commit-hooks.yaml" >"$scratch/ids.main"
hook_ids "$mirror/.pre-commit-hooks.yaml" >"$scratch/ids.mirror"
diff "$scratch/ids.main" "$scratch/ids.mirror" >"$scratch/out" 2>&1 || true
check "  with the main repository's hook ids ($(tr '\n' ' ' <"$scratch/ids.main"))" \
    cmp -s "$scratch/ids.main" "$scratch/ids.mirror"
grep -c '^  language: python$' "$mirror/.pre-commit-hooks.yaml" >"$scratch/out" || true
check "  every one language: python" test "$(cat "$scratch/out")" -eq "$(wc -l <"$scratch/ids.main")"
diff -u "$here/.pre-commit-hooks.yaml" "$mirror/.pre-commit-hooks.yaml" >"$scratch/out" 2>&1 || true
check "the committed packaging/pre-commit-mirror/.pre-commit-hooks.yaml is current (else: sh packaging/pre-commit-mirror/update.sh $version)" \
    cmp -s "$here/.pre-commit-hooks.yaml" "$mirror/.pre-commit-hooks.yaml"

echo "== a repository using the mirror, offline"
mkdir "$scratch/index"
cp "$wheel" "$setuptools_wheel" "$scratch/index/"
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$scratch/index"
export PRE_COMMIT_HOME="$scratch/home"
git init -q -b main "$repo"
git init -q --bare -b main "$remote"
git -C "$repo" remote add origin "$remote"
{
    echo "default_install_hook_types: [pre-commit, pre-push]"
    echo "repos:"
    echo "  - repo: $mirror"
    echo "    rev: v$version"
    echo "    hooks:"
    sed 's/^/      - id: /' "$scratch/ids.mirror"
} >"$repo/.pre-commit-config.yaml"
(cd "$repo" && "$pre_commit" install >/dev/null)

start=$(date +%s%N)
if run "$pre_commit" install-hooks; then
    elapsed=$((($(date +%s%N) - start) / 1000000))
    ok "pre-commit install-hooks installs the mirror's hooks with no index"
    printf 'first run (pre-commit install-hooks, empty PRE_COMMIT_HOME, wheel available locally): %d.%03d s\n' \
        $((elapsed / 1000)) $((elapsed % 1000))
else
    fail "pre-commit install-hooks installs the mirror's hooks with no index"
fi
find "$PRE_COMMIT_HOME" -path '*/py_env-*/bin/antipasta' >"$scratch/out"
check "  antipasta is the wheel's, in a python environment" test "$(wc -l <"$scratch/out")" -eq 1
find "$PRE_COMMIT_HOME" -maxdepth 3 -name 'rustenv-*' >"$scratch/out"
check "  and nothing was compiled (no rust environment)" test ! -s "$scratch/out"

git -C "$repo" add .pre-commit-config.yaml
check "the configuration commits (no source files: hooks skipped)" run git commit -qm config

echo "== pre-commit hook: antipasta"
busy_py busy >"$repo/a.py"
git -C "$repo" add a.py
before=$(commits)
if run git commit -qm busy; then fail "a function over the threshold is refused"; else
    check "a function over the threshold is refused, naming function and value" \
        output_has "a.py:1:1: cyclomatic_complexity 12 (limit <= 10) in busy"
fi
check "  and nothing was committed" test "$(commits)" = "$before"
printf 'def simple(a):\n    return a\n' >"$repo/a.py"
git -C "$repo" add a.py
check "a simple function commits" run git commit -qm simple
check "  and the commit is there" test "$(commits)" = $((before + 1))

echo "== pre-push hook: antipasta-diff"
check "the first push (root commit included) is let through" run git push -q origin main
busy_py pushed >"$repo/c.py"
git -C "$repo" add c.py
git -C "$repo" commit -q --no-verify -m "busy, past the commit hook"
pushed=$(remote_head main)
if run git push origin main; then fail "a push adding a violation is refused"; else
    check "a push adding a violation is refused, naming it as new" \
        output_has "c.py:1:1: cyclomatic_complexity 12 (limit <= 10) in pushed [new]"
fi
check "  and the remote is unchanged" test "$(remote_head main)" = "$pushed"

if grep -qx antipasta-strict "$scratch/ids.mirror"; then
    echo "== pre-commit hook: antipasta-strict"
    if run "$pre_commit" run antipasta-strict --files c.py; then
        fail "antipasta-strict refuses a committed violation in a named file"
    else
        check "antipasta-strict refuses a committed violation in a named file" \
            output_has "c.py:1:1: cyclomatic_complexity 12 (limit <= 10) in pushed"
    fi
fi

echo "precommit mirror: $passed passed, $failed failed"
test "$failed" -eq 0
