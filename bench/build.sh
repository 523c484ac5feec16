#!/bin/sh
# What building antipasta from source costs, and what the build profile
# costs the binary.
#
#   bench/build.sh build NAME PROFILE [CARGO_ARGS...]
#       a clean `cargo build --locked --profile PROFILE --timings` in its own
#       target directory (bench/.work/build/NAME), so nothing is reused;
#       prints the wall time, the CPU time (user + system, all processes:
#       what the build costs whatever the load), the load average around
#       it, and the ten
#       longest compilation units from cargo's timings (the HTML report is
#       left in bench/.work/build/NAME/cargo-timings/). CARGO_ARGS are passed
#       on, e.g. `--config profile.release.lto="thin"` to build a profile as
#       it was.
#   bench/build.sh run NAME... 
#       the binaries built under those names, `check --no-cache -j 1 -q` on
#       the fixture corpora (fetched by fixtures/fetch.sh): instructions
#       counted by valgrind's callgrind on zarr and rxjs (repeatable whatever
#       else the machine does), and the fastest of 5 wall times on all of
#       fixtures/python/corpus and fixtures/javascript/corpus, the runs of the
#       binaries interleaved.
#
# On a shared machine the wall times depend on the load, which is printed
# next to them; the instruction counts do not.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/bench/.work/build
mode=${1:-}
[ $# -ge 2 ] || {
    echo "usage: bench/build.sh build NAME PROFILE [CARGO_ARGS...] | run NAME..." >&2
    exit 2
}
shift

binary() {
    for candidate in "$work/$1"/*/antipasta; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return
        fi
    done
    echo "no binary built under the name $1 (bench/build.sh build $1 ...)" >&2
    exit 2
}

case $mode in
build)
    name=$1
    profile=$2
    shift 2
    target=$work/$name
    rm -rf "$target"
    mkdir -p "$target"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$root" && CARGO_TARGET_DIR=$target /usr/bin/time -f '%e %U %S' -o "$target/time" \
        cargo build --locked --profile "$profile" --timings "$@") >"$target/build.log" 2>&1 || {
        tail -n 20 "$target/build.log"
        exit 1
    }
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    read -r wall user system <"$target/time"
    echo "$name: clean build (profile $profile $*): $wall s wall, $(echo "$user + $system" | bc) s CPU"
    python3 - "$target"/cargo-timings/cargo-timing.html <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
total = sum(u["duration"] for u in units)
print(f"{len(units)} units, {total:.0f} s of compilation in all (both cores)")
for u in sorted(units, key=lambda u: -u["duration"])[:10]:
    what = u.get("target", "").strip() or "lib"
    print(f"  {u['duration']:6.1f} s  {u['name']} {u['version']} {what}")
EOF
    ;;
run)
    corpora="$root/fixtures/python/corpus $root/fixtures/javascript/corpus"
    counted="$root/fixtures/python/corpus/zarr-3.4.2 $root/fixtures/javascript/corpus/rxjs-7.8.2"
    for dir in $corpora $counted; do
        [ -d "$dir" ] || {
            echo "$dir missing: run bash fixtures/fetch.sh" >&2
            exit 2
        }
    done
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    for name in "$@"; do
        exe=$(binary "$name")
        out=$(mktemp)
        # shellcheck disable=SC2086 # two directories
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" check --no-cache -j 1 -q $counted \
            >/dev/null 2>"$out" || true
        echo "$name: $(grep -o 'Collected : [0-9]*' "$out" | sed 's/Collected : //') instructions ($exe)"
        rm -f "$out"
    done
    for _ in 1 2 3 4 5; do
        for name in "$@"; do
            exe=$(binary "$name")
            start=$(date +%s%N)
            # shellcheck disable=SC2086
            "$exe" check --no-cache -j 1 -q $corpora >/dev/null 2>&1 || true
            echo "$name $((($(date +%s%N) - start) / 1000000))"
        done
    done | sort -k1,1 -k2,2n | awk '!seen[$1]++ { printf "%s: fastest of 5: %d ms wall\n", $1, $2 }'
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    ;;
*)
    echo "usage: bench/build.sh build NAME PROFILE [CARGO_ARGS...] | run NAME..." >&2
    exit 2
    ;;
esac
