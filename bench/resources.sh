#!/usr/bin/env bash
# Resource bounds: wall time and peak memory of one large input at three
# sizes each, to show that per-file work grows linearly.
#
#   - a Python module of many small functions (up to the default 10 MB
#     max_file_size), `check`;
#   - a Python file whose only line is one list literal of strings, `check`;
#   - a Python file whose N functions are all renamed in the worktree,
#     `diff` (every function pairs with its renamed base version);
#   - and a 50 MB module, over the default max_file_size: refused unread.
#
# Usage: bench/resources.sh [RUNS]   (median of RUNS, default 3; the peak
# is the largest of the runs). Inputs are generated under bench/.work/.
# CPU time (user + system) is printed beside wall time: on a shared machine
# it is the steadier measure of the work done.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
root="$(pwd)"
work="$root/bench/.work/resources"
python="$(command -v python3)"

cargo build --release --quiet
bin="$root/target/release/antipasta"
rm -rf "$work"
mkdir -p "$work"

"$python" - "$work" <<'EOF'
import os, subprocess, sys

work = sys.argv[1]
FUNCTION = (
    "def f{i}(a, b):\n"
    "    if a > b and b:\n"
    "        return [x * 2 for x in range(a) if x % 3]\n"
    "    for k in range(b):\n"
    "        a += k\n"
    "    return a\n"
)

def module(path, megabytes):
    """Functions up to `megabytes` MiB."""
    limit, size, i = int(megabytes * 1024 * 1024), 0, 0
    with open(path, "w") as out:
        while True:
            text = FUNCTION.format(i=i)
            if size + len(text) > limit:
                return
            out.write(text)
            size += len(text)
            i += 1

def literal(path, megabytes):
    """`x = ["s0", "s1", …]` on one line, about `megabytes` MiB."""
    count = int(megabytes * 1024 * 1024 / 11)
    with open(path, "w") as out:
        out.write("x = [" + ", ".join('"s%d"' % i for i in range(count)) + "]\n")

RENAMED = "def {p}{i}(a, b):\n    if a > b and b:\n        return a - {i}\n    return b + {i}\n"

def renamed(path, count):
    """A repository whose one file's `count` functions are renamed in the worktree."""
    os.makedirs(path)
    git = lambda *args: subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        cwd=path, check=True, stdout=subprocess.DEVNULL)
    git("init", "-q")
    with open(os.path.join(path, "m.py"), "w") as out:
        out.write("".join(RENAMED.format(p="f", i=i) for i in range(count)))
    git("add", "-A")
    git("commit", "-qm", "base")
    with open(os.path.join(path, "m.py"), "w") as out:
        out.write("".join(RENAMED.format(p="g", i=i) for i in range(count)))

for mb in (2.5, 5, 10):
    module(os.path.join(work, f"module-{mb}MB.py"), mb)
for mb in (1.5, 3, 6):
    literal(os.path.join(work, f"literal-{mb}MB.py"), mb)
for count in (2000, 4000, 8000):
    renamed(os.path.join(work, f"renamed-{count}"), count)
module(os.path.join(work, "module-50MB.py"), 50)
EOF

"$python" - "$runs" "$bin" "$work" <<'EOF'
import os, statistics, subprocess, sys

runs, binary, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]

PROBE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)\n"
)

def run_once(cwd, command):
    """Wall seconds, CPU seconds and peak RSS (MiB) of one run in a fresh child."""
    out = subprocess.run([sys.executable, "-c", PROBE, cwd, *command], capture_output=True, text=True, check=True)
    return tuple(float(x) for x in out.stdout.split())

cases = []
for mb in ("2.5", "5", "10"):
    path = os.path.join(work, f"module-{mb}MB.py")
    cases.append(("Python module, check", os.path.getsize(path), work, [binary, "check", "--no-cache", "--quiet", path]))
for mb in ("1.5", "3", "6"):
    path = os.path.join(work, f"literal-{mb}MB.py")
    cases.append(("one-line literal, check", os.path.getsize(path), work, [binary, "check", "--no-cache", "--quiet", path]))
for count in (2000, 4000, 8000):
    repo = os.path.join(work, f"renamed-{count}")
    cases.append(("renamed functions, diff", -count, repo, [binary, "diff", "--no-cache", "--quiet"]))
# Over the default max_file_size: a per-file error, the file never read.
path = os.path.join(work, "module-50MB.py")
cases.append(("over max_file_size, check", os.path.getsize(path), work, [binary, "check", "--no-cache", "--quiet", path]))

print(f"{'input':<24} {'size':>16} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9} {'CPU s per unit':>15} {'MiB per unit':>13}")
for label, size, cwd, command in cases:
    samples = [run_once(cwd, command) for _ in range(runs)]
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    peak = max(s[2] for s in samples)
    if size >= 0:
        amount, shown, per = size / (1024 * 1024), f"{size / (1024 * 1024):.1f} MB", "MB"
    else:
        amount, shown, per = -size / 1000, f"{-size:,} functions", "1k fn"
    print(f"{label:<24} {shown:>16} {wall:>7.2f} {cpu:>7.2f} {peak:>9.0f} {cpu / amount:>9.3f}/{per:<5} {peak / amount:>7.1f}/{per}")
EOF
