#!/bin/sh
# The hooks of .pre-commit-hooks.yaml under the real pre-commit framework.
#
# Installs pre-commit from PyPI into target/precommit/venv, points a scratch
# repository's .pre-commit-config.yaml at this checkout (`rev:` is HEAD, so
# what is tested is the last commit, not uncommitted edits) and makes real
# commits and pushes (to a local bare repository). `language: rust` makes
# pre-commit `cargo install` antipasta: one release build, kept in
# target/precommit/home (PRE_COMMIT_HOME) and reused while HEAD is the same.
# Nothing is written to this repository outside target/.
#
# Exits 0 with a SKIPPED banner when pre-commit cannot be installed.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/target/precommit
venv=$work/venv
pre_commit_version=4.7.0

export PRE_COMMIT_HOME="$work/home"
# pre-commit's `cargo install` builds here, so a new HEAD rebuilds only
# what changed.
export CARGO_TARGET_DIR="$work/cargo-target"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export NO_COLOR=1

skip() {
    echo "################################################################"
    echo "## SKIPPED: pre-commit framework tests: $1"
    echo "################################################################"
    exit 0
}

mkdir -p "$work"
if ! "$venv/bin/pre-commit" --version 2>/dev/null | grep -qx "pre-commit $pre_commit_version"; then
    rm -rf "$venv"
    python3 -m venv "$venv" || skip "python3 -m venv failed"
    "$venv/bin/pip" install -q "pre-commit==$pre_commit_version" ||
        skip "pip could not install pre-commit==$pre_commit_version (no network?)"
fi
pre_commit=$venv/bin/pre-commit

rev=$(git -C "$root" rev-parse HEAD)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    echo "note: the worktree has uncommitted changes; the hooks tested are HEAD's ($rev)."
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
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
# check DESCRIPTION CONDITION...: runs the condition (a command).
check() {
    description=$1
    shift
    if "$@"; then ok "$description"; else fail "$description"; fi
}
output_has() { grep -qF -- "$1" "$scratch/out"; }
commits() { git -C "$repo" rev-list --count HEAD; }
remote_head() { git -C "$remote" rev-parse --verify -q "refs/heads/$1" || echo none; }
# Each runs in $repo with its output in $scratch/out; returns the exit code.
run() { (cd "$repo" && "$@") >"$scratch/out" 2>&1; }
commit() { run git commit -qm "$1"; }

busy_py() { # cyclomatic complexity 12 (limit 10)
    echo "def $1(x):"
    i=0
    while [ $i -lt 11 ]; do
        printf '    if x == %d:\n        return %d\n' $i $i
        i=$((i + 1))
    done
    echo "    return -1"
}
busy_js() { # cyclomatic complexity 12
    echo "export function $1(x) {"
    i=0
    while [ $i -lt 11 ]; do
        printf '  if (x === %d) return %d;\n' $i $i
        i=$((i + 1))
    done
    echo "  return -1;"
    echo "}"
}

git init -q -b main "$repo"
git init -q --bare -b main "$remote"
git -C "$repo" remote add origin "$remote"
cat >"$repo/.pre-commit-config.yaml" <<EOF
default_install_hook_types: [pre-commit, pre-push]
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: antipasta
      - id: antipasta-diff
EOF
(cd "$repo" && "$pre_commit" install >/dev/null)
check "pre-commit install set up both hook types" \
    sh -c 'test -f "$1/pre-commit" && test -f "$1/pre-push"' - "$repo/.git/hooks"
echo "== pre-commit install-hooks (the first run builds antipasta with cargo install: minutes)"
start=$(date +%s)
(cd "$repo" && "$pre_commit" install-hooks)
echo "   took $(($(date +%s) - start)) s"

git -C "$repo" add .pre-commit-config.yaml
check "the configuration commits (no source files: hook skipped)" commit config

echo "== pre-commit hook: antipasta"
busy_py busy >"$repo/a.py"
git -C "$repo" add a.py
before=$(commits)
if commit busy; then fail "a function over the threshold is refused"; else
    check "a function over the threshold is refused, naming function and value" \
        output_has "a.py:1:1: cyclomatic_complexity 12 (limit <= 10) in busy"
fi
check "  and nothing was committed" test "$(commits)" = "$before"

printf 'def simple(a):\n    return a\n' >"$repo/a.py"
git -C "$repo" add a.py
check "a simple function commits" commit simple
check "  and the commit is there" test "$(commits)" = $((before + 1))

# Partially staged: simple staged, busy in the worktree only. (pre-commit
# also stashes unstaged changes while its hooks run; antipasta reads the
# index either way.)
printf 'def simple(a):\n    return a\n\n\ndef other(b):\n    return b\n' >"$repo/a.py"
git -C "$repo" add a.py
busy_py busy >"$repo/a.py"
before=$(commits)
check "a simple staged version commits while the worktree is complex" commit "staged simple"
check "  and the commit is there" test "$(commits)" = $((before + 1))
check "  and the complex worktree version is left as it was" \
    grep -q 'if x == 10:' "$repo/a.py"
# The reverse: busy staged, simple in the worktree.
git -C "$repo" add a.py
printf 'def simple(a):\n    return a\n' >"$repo/a.py"
if commit "staged busy"; then fail "a complex staged version is refused while the worktree is simple"; else
    check "a complex staged version is refused while the worktree is simple" \
        output_has "a.py:1:1: cyclomatic_complexity 12 (limit <= 10) in busy"
fi
check "  and nothing was committed" test "$(commits)" = $((before + 1))
check "  and the simple worktree version is left as it was" \
    test "$(cat "$repo/a.py")" = "$(printf 'def simple(a):\n    return a')"
git -C "$repo" checkout -q -- a.py
git -C "$repo" reset -q --hard

# The `files` pattern reaches .mts, which identify gives no language tag,
# and `types: [text]` keeps a binary .mts (a video) away from antipasta.
busy_js busyTs >"$repo/b.mts"
git -C "$repo" add b.mts
if commit busy-mts; then fail "a complex function in a .mts file is refused"; else
    check "a complex function in a .mts file is refused" \
        output_has "cyclomatic_complexity 12 (limit <= 10) in busyTs"
fi
git -C "$repo" rm -q --cached b.mts
rm "$repo/b.mts"
printf 'video\000\001\002' >"$repo/clip.mts"
git -C "$repo" add clip.mts
check "a binary .mts file is not passed to antipasta" commit clip

echo "== pre-push hook: antipasta-diff"
# First push of the whole history: pre-commit gives no range.
check "the first push (root commit included) is let through" run git push -q origin main
check "  and reaches the remote" test "$(remote_head main)" = "$(git -C "$repo" rev-parse HEAD)"
check "without a range the hook says it judged nothing" \
    run "$pre_commit" run antipasta-diff --hook-stage pre-push --verbose
check "  (message)" output_has "antipasta-diff: no pushed range to judge"
# A legacy violation already on the remote (pushed past the hooks).
busy_py legacy >"$repo/legacy.py"
git -C "$repo" add legacy.py
git -C "$repo" commit -q --no-verify -m legacy
git -C "$repo" push -q --no-verify origin main

busy_py busy >"$repo/c.py"
git -C "$repo" add c.py
git -C "$repo" commit -q --no-verify -m "busy, past the commit hook"
pushed=$(remote_head main)
if run git push origin main; then fail "a push adding a violation is refused"; else
    check "a push adding a violation is refused, naming it as new" \
        output_has "c.py:1:1: cyclomatic_complexity 12 (limit <= 10) in busy [new]"
    check "  with the hook's explanation" output_has "antipasta-diff: the pushed commits"
    check "  and the commit hook (stages: pre-commit) did not run at pre-push" \
        sh -c "! grep -q 'complexity gate' '$scratch/out'"
fi
check "  and the remote is unchanged" test "$(remote_head main)" = "$pushed"
if run "$pre_commit" run antipasta-diff --hook-stage pre-push --from-ref "$pushed" --to-ref HEAD; then
    fail "pre-commit run --from-ref/--to-ref (as in CI) refuses the same range"
else
    check "pre-commit run --from-ref/--to-ref (as in CI) refuses the same range" \
        output_has "c.py:1:1: cyclomatic_complexity 12 (limit <= 10) in busy [new]"
fi

git -C "$repo" reset -q --hard HEAD~1
printf 'def helper(a):\n    return a\n' >"$repo/d.py"
printf '\n\ndef more(b):\n    return b\n' >>"$repo/legacy.py"
git -C "$repo" add d.py legacy.py
check "the commit hook judges whole files: touching legacy.py is refused" \
    sh -c "! (cd '$repo' && git commit -qm touch >/dev/null 2>&1)"
git -C "$repo" commit -q --no-verify -m "touch legacy.py, add d.py"
check "a push adding no new or worse violation is let through" run git push origin main
check "  and reaches the remote" test "$(remote_head main)" = "$(git -C "$repo" rev-parse HEAD)"

# `--all-files` names every file: committed ones are judged as staged too.
if run "$pre_commit" run antipasta --all-files; then
    fail "pre-commit run --all-files judges committed files"
else
    check "pre-commit run --all-files judges committed files (legacy.py refused)" \
        output_has "legacy.py:1:1: cyclomatic_complexity 12 (limit <= 10) in legacy"
fi

# A new branch: pre-commit sets FROM to the parent of its first new commit.
git -C "$repo" checkout -q -b feature
busy_py featured >"$repo/e.py"
git -C "$repo" add e.py
git -C "$repo" commit -q --no-verify -m "busy on a new branch"
if run git push origin feature; then fail "a new branch adding a violation is refused"; else
    check "a new branch adding a violation is refused, naming it as new" \
        output_has "e.py:1:1: cyclomatic_complexity 12 (limit <= 10) in featured [new]"
fi
check "  and the branch is not on the remote" test "$(remote_head feature)" = none

echo "precommit: $passed passed, $failed failed"
test "$failed" -eq 0
