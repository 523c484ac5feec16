"""Times benchmark commands and prints wall time, peak memory and ratios.

Each argument is `label::command`; a command may chain several programs
with ` ;; ` (their times add up, the memory peak is the largest). Output of
the commands is discarded; exit codes are ignored (gates exit 1 on findings).
"""
import argparse
import resource
import shlex
import statistics
import subprocess
import sys
import time


def run_once(command):
    """Wall seconds and peak RSS (MiB) of one run, measured in a fresh child."""
    probe = (
        "import resource, subprocess, sys, time, shlex\n"
        "start = time.perf_counter()\n"
        "for part in sys.argv[1].split(' ;; '):\n"
        "    subprocess.run(shlex.split(part), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "wall = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(wall, peak)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, command], capture_output=True, text=True, check=True)
    wall, peak = out.stdout.split()
    return float(wall), float(peak)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    rows = []
    for spec in args.commands:
        label, command = spec.split("::", 1)
        samples = [run_once(command) for _ in range(args.runs)]
        wall = statistics.median(s[0] for s in samples)
        peak = max(s[1] for s in samples)
        rows.append((label, wall, peak))
        print(f"  measured {label}: {wall:.3f} s", file=sys.stderr)
    base = rows[0][1]
    print(f"\n{'tool':<32} {'wall (s)':>9} {'peak MiB':>9} {'vs antipasta':>13}")
    for label, wall, peak in rows:
        print(f"{label:<32} {wall:>9.3f} {peak:>9.1f} {wall / base:>12.1f}x")


if __name__ == "__main__":
    main()
