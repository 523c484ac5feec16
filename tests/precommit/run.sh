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
# The commit hook judges the change: touching legacy.py without making
# `legacy` worse passes (the gate's cases are further down).
check "the commit hook judges the change: touching legacy.py (legacy untouched) commits" \
    commit "touch legacy.py, add d.py"
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

echo "== pre-commit hook: antipasta judges the change (a legacy codebase)"
gate=$scratch/gate
git init -q -b main "$gate"
cat >"$gate/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: antipasta
      - id: antipasta-strict
        stages: [manual]
EOF
# legacy.py: `legacy` (cyclomatic complexity 12, over the limit of 10) and
# thirty arithmetic functions that keep the file's maintainability index
# (about 21) under its limit of 50. Arguments: legacy's branches, the
# step_N to edit (-1: none), text to append.
legacy_py() {
    python3 -c '
import sys
branches, edited, extra = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
out = ["def legacy(x):"]
for i in range(branches):
    out += ["    if x == %d:" % i, "        return %d" % i]
out += ["    return -1", "", ""]
for i in range(30):
    tail = " + 1" if i == edited else ""
    out += ["def step_%d(a, b, c):" % i,
            "    total = a * %d + b * c - (a - b) / (c + %d)" % (i, i + 1),
            "    return total %% %d + a ** 2 - b // (c or 1)%s" % (i + 7, tail), "", ""]
sys.stdout.write("\n".join(out) + extra)
' "$@"
}
small='

def helper(a):
    return a
'
fresh="

$(busy_py fresh)
"
legacy_py 11 -1 '' >"$gate/legacy.py"
git -C "$gate" add .pre-commit-config.yaml legacy.py
git -C "$gate" commit -q --no-verify -m legacy
(cd "$gate" && "$pre_commit" install >/dev/null)
gate_commits() { git -C "$gate" rev-list --count HEAD; }
# stage LEGACY_PY-ARGUMENTS...: writes legacy.py and stages it.
stage() {
    legacy_py "$@" >"$gate/legacy.py"
    git -C "$gate" add legacy.py
}
gate_run() { (cd "$gate" && "$@") >"$scratch/out" 2>&1; }

stage 11 3 ''
check "(a) a commit editing another function of the legacy file passes" \
    gate_run git commit -qm "edit step_3"
check "  and the commit is there" test "$(gate_commits)" = 2

stage 12 3 ''
if gate_run git commit -qm "worse legacy"; then
    fail "(b) a commit making the legacy function worse fails"
else
    check "(b) a commit making the legacy function worse fails, naming it with old and new value" \
        output_has "legacy.py:1:1: cyclomatic_complexity 13 (limit <= 10) in legacy [worsened from 12]"
fi
check "  and nothing was committed" test "$(gate_commits)" = 2

stage 11 3 "$fresh"
if gate_run git commit -qm "new busy function"; then
    fail "(c) a commit adding a new over-limit function fails"
else
    check "(c) a commit adding a new over-limit function fails, naming it as new" \
        output_has "cyclomatic_complexity 12 (limit <= 10) in fresh [new]"
fi
check "  and nothing was committed" test "$(gate_commits)" = 2

stage 11 3 "$small"
check "(d) a commit adding a small function to the low-MI file passes" \
    gate_run git commit -qm "small helper"
check "  and the commit is there" test "$(gate_commits)" = 3

if gate_run "$pre_commit" run antipasta --all-files; then
    fail "(e) pre-commit run --all-files reports the legacy violations and fails"
else
    check "(e) pre-commit run --all-files reports the legacy violations and fails" \
        output_has "legacy.py:1:1: cyclomatic_complexity 12 (limit <= 10) in legacy"
    check "  judged whole, file-level ones included" output_has "maintainability_index"
fi

stage 11 5 "$small"
if gate_run "$pre_commit" run antipasta-strict --hook-stage manual; then
    fail "(f) the strict hook fails on an edit of another function (a)"
else
    check "(f) the strict hook fails on an edit of another function (a), naming the legacy one" \
        output_has "legacy.py:1:1: cyclomatic_complexity 12 (limit <= 10) in legacy"
fi
check "  while the change gate passes the same staged change" \
    gate_run "$pre_commit" run antipasta
echo "precommit: $passed passed, $failed failed"
test "$failed" -eq 0
