#!/usr/bin/env python3
"""How many real commits each file-metric tolerance would fail.

Walks the last COMMITS first-parent, non-merge commits of a git repository
and runs `antipasta diff C^ C --format json` on each, once per candidate
`[gate] file_metric_tolerance`, with antipasta's default thresholds. For
every tolerance it counts the commits that fail on a file-level metric
(maintainability index, Halstead volume/difficulty/effort) and why:

  new       a file the commit adds is over a limit (tolerance plays no part)
  crossed   the commit pushes a file over a limit it met (no part either)
  worse     a file already over a limit got worse by more than the tolerance

and the commits that fail on a function (tolerance plays no part). The
repository is only read (a bare mirror will do); the result cache lives
under bench/.work.

Usage: bench/file_tolerance.py REPO [--commits N] [--tolerances 0,1,2,5,10]
       [--bin PATH]   (default: target/release/antipasta, built if missing)
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(repo, *args):
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True, text=True
    ).stdout


def diff(binary, repo, commit, config, cache):
    """The JSON report of `antipasta diff commit^ commit`."""
    run = subprocess.run(
        [binary, "diff", f"{commit}^", commit, "--format", "json",
         "--config", config, "--cache-dir", cache],
        cwd=repo, capture_output=True, text=True,
    )
    if run.returncode not in (0, 1):
        raise RuntimeError(f"{commit}: exit {run.returncode}: {run.stderr.strip()}")
    return json.loads(run.stdout)


def met(comparison, value, threshold):
    return {
        "<": value < threshold, "<=": value <= threshold,
        ">": value > threshold, ">=": value >= threshold,
        "==": value == threshold, "!=": value != threshold,
    }[comparison]


SHORT = {
    "maintainability_index": "mi",
    "halstead_volume": "vol",
    "halstead_difficulty": "dif",
    "halstead_effort": "eff",
}


def reasons(report):
    """Why a commit fails: a set of new/crossed/worse/function, plus
    `worse:METRIC` for each file metric that got worse."""
    found = set()
    for v in report["violations"]:
        if v.get("change") not in ("new", "worsened"):
            continue
        if v["function"] is not None:
            found.add("function")
        elif v["change"] == "new" or v.get("before") is None:
            found.add("new")
        elif met(v["comparison"], v["before"], v["threshold"]):
            found.add("crossed")
        else:
            found.add("worse")
            found.add("worse:" + SHORT.get(v["metric"], v["metric"]))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo")
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--tolerances", default="0,1,2,5,10,20")
    parser.add_argument("--bin", default=str(ROOT / "target/release/antipasta"))
    args = parser.parse_args()
    binary = Path(args.bin).resolve()
    if not binary.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    tolerances = [float(t) for t in args.tolerances.split(",")]
    commits = git(args.repo, "rev-list", "--first-parent", "--no-merges",
                  f"--max-count={args.commits}", "HEAD").split()
    python = [c for c in commits
              if any(p.endswith((".py", ".pyi")) for p in
                     git(args.repo, "diff-tree", "--no-commit-id", "--name-only",
                         "-r", f"{c}^", c).split())]
    cache = ROOT / "bench/.work/file-tolerance-cache"
    cache.mkdir(parents=True, exist_ok=True)
    head = git(args.repo, "log", "-1", "--format=%h %cs").strip()
    print(f"{args.repo} at {head}: {len(commits)} commits, {len(python)} touch Python files")
    print()
    print("| tolerance | commits failing on a file metric | new file | crossed | worse (mi / vol / dif / eff) | commits failing on a function |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for tolerance in tolerances:
            config = Path(scratch) / f"t{tolerance}.toml"
            config.write_text(f"[gate]\nfile_metric_tolerance = {tolerance}\n")
            counts = {}
            for commit in python:
                found = reasons(diff(str(binary), args.repo, commit, str(config), str(cache)))
                if found & {"new", "crossed", "worse"}:
                    found.add("file")
                for reason in found:
                    counts[reason] = counts.get(reason, 0) + 1
            count = lambda key: counts.get(key, 0)
            by_metric = " / ".join(str(count("worse:" + m)) for m in SHORT.values())
            print(f"| {tolerance:g} % | {count('file')} | {count('new')} | "
                  f"{count('crossed')} | {count('worse')} ({by_metric}) | {count('function')} |",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
