#!/bin/sh
# The Python wheel of the antipasta binary, built and used as a user would.
#
# Installs maturin from PyPI into target/packaging/venv, builds the wheel
# (pyproject.toml, `bindings = "bin"`) into target/packaging/wheels, installs
# it with pip into a fresh virtual environment with no index (the wheel
# directory is the only source), and runs the `antipasta` that pip put on
# that environment's PATH: `--version`, and a real `check` on a file with a
# violation (exit code and violation line asserted).
#
# The wheel is built with the Cargo profile in ANTIPASTA_WHEEL_PROFILE
# (default `dev`, which reuses what `cargo test` built, so CI only links and
# packs; the release workflow builds with the `dist` profile). The wheel is
# left in target/packaging/wheels for packaging/pre-commit-mirror/test.sh.
# Nothing is written to this repository outside target/.
#
# Exits 0 with a SKIPPED banner when python3 or maturin cannot be had.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/target/packaging
venv=$work/venv
wheels=$work/wheels
maturin_version=1.16.0
profile=${ANTIPASTA_WHEEL_PROFILE:-dev}
export NO_COLOR=1

skip() {
    echo "################################################################"
    echo "## SKIPPED: wheel tests: $1"
    echo "################################################################"
    exit 0
}

passed=0
failed=0
ok() {
    passed=$((passed + 1))
    echo "ok - $1"
}
fail() {
    failed=$((failed + 1))
    echo "FAIL - $1"
    if [ -f "$scratch/out" ]; then
        echo "---- output"
        cat "$scratch/out"
        echo "----"
    fi
}
check() {
    description=$1
    shift
    if "$@"; then ok "$description"; else fail "$description"; fi
}

command -v python3 >/dev/null || skip "python3 not found"
mkdir -p "$work"
if ! "$venv/bin/maturin" --version 2>/dev/null | grep -qx "maturin $maturin_version"; then
    rm -rf "$venv"
    python3 -m venv "$venv" || skip "python3 -m venv failed"
    "$venv/bin/pip" install -q "maturin==$maturin_version" ||
        skip "pip could not install maturin==$maturin_version (no network?)"
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
test -n "$version" || {
    echo "no version in Cargo.toml" >&2
    exit 2
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "== maturin build --profile $profile (antipasta $version)"
rm -rf "$wheels"
start=$(date +%s)
(cd "$root" && "$venv/bin/maturin" build --quiet --locked --strip \
    --profile "$profile" --out "$wheels")
echo "   took $(($(date +%s) - start)) s"
set -- "$wheels"/antipasta-"$version"-*.whl
check "one wheel, named for Cargo.toml's version $version" test "$#" -eq 1 -a -f "$1"
wheel=$1
echo "   $(basename "$wheel"): $(($(wc -c <"$wheel") / 1024)) KiB"
cat >"$scratch/inspect.py" <<'EOF'
import sys, zipfile
wheel, version = sys.argv[1], sys.argv[2]
names = sorted(zipfile.ZipFile(wheel).namelist())
info = f"antipasta-{version}.dist-info/"
data = f"antipasta-{version}.data/scripts/"
print(names)
scripts = [n for n in names if n.startswith(data)]
assert scripts in ([data + "antipasta"], [data + "antipasta.exe"]), scripts
assert all(n.startswith((info, data)) for n in names), names
metadata = zipfile.ZipFile(wheel).read(info + "METADATA").decode()
assert "Name: antipasta\n" in metadata and f"Version: {version}\n" in metadata, metadata
EOF
inspect_wheel() { "$venv/bin/python" "$scratch/inspect.py" "$wheel" "$version" >"$scratch/out" 2>&1; }
check "the wheel holds the binary as a script and its metadata, nothing else" inspect_wheel

echo "== pip install into a fresh virtual environment (no index)"
python3 -m venv "$scratch/env"
if "$scratch/env/bin/pip" install -q --no-index --find-links "$wheels" "antipasta==$version" >"$scratch/out" 2>&1; then
    ok "pip installs antipasta==$version from the wheel alone"
else
    fail "pip installs antipasta==$version from the wheel alone"
fi
# What a user gets: the environment's bin first on PATH, nothing from target/.
PATH="$scratch/env/bin:$PATH"
check "antipasta on PATH is the environment's" \
    test "$(command -v antipasta)" = "$scratch/env/bin/antipasta"
antipasta --version >"$scratch/out" 2>&1 || true
check "antipasta --version prints antipasta $version" \
    test "$(cat "$scratch/out")" = "antipasta $version"

mkdir "$scratch/project"
{
    echo "def busy(x):"
    i=0
    while [ $i -lt 11 ]; do
        printf '    if x == %d:\n        return %d\n' $i $i
        i=$((i + 1))
    done
    echo "    return -1"
    printf '\n\ndef simple(a):\n    return a\n'
} >"$scratch/project/busy.py"
status=0
(cd "$scratch/project" && antipasta check --no-cache busy.py) >"$scratch/out" 2>&1 || status=$?
check "antipasta check exits 1 on a violation" test "$status" -eq 1
check "  and names the function, the metric, the value and the limit" \
    grep -qxF "busy.py:1:1: cyclomatic_complexity 12 (limit <= 10) in busy" "$scratch/out"
check "  and only that one" test "$(grep -c 'limit' "$scratch/out")" -eq 1
status=0
(cd "$scratch/project" && antipasta check --no-cache -t cyc=12 busy.py) >"$scratch/out" 2>&1 || status=$?
check "antipasta check -t cyc=12 exits 0 on the same file" test "$status" -eq 0

echo "wheel: $passed passed, $failed failed"
test "$failed" -eq 0
