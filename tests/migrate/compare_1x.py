"""Compares antipasta 1.2's `metrics --format json` with antipasta's
`check --format json` on the same tree and configuration.

Usage: compare_1x.py OLD.json NEW.json LABEL
Prints the counts and each difference by kind; exits 1 when a difference
is not one of the kinds the README's migration section lists.
"""

import json
import sys
from collections import Counter

# Differences the README's migration section lists as intended.
EXPLAINED = {
    "1.2 file-level cognitive row": "1.2 repeats a cognitive violation as a file-level `file_maximum` row",
    "1.2 file-level cyclomatic average": "1.2 checks the file's average cyclomatic complexity as well",
    "closure judged on its own": "antipasta judges a nested function by itself; 1.2 reports none",
}


def bare(function):
    if function is None:
        return None
    for separator in ("::", "."):
        function = function.rsplit(separator, 1)[-1]
    return function


def old_functions(path):
    """(file, bare name) of every function 1.2 measured cyclomatic complexity for."""
    doc = json.load(open(path))
    return {
        (report["file"], bare(m.get("function_name")))
        for report in doc.get("reports", [])
        for m in report.get("metrics", [])
        if m["type"] == "cyclomatic_complexity" and m.get("function_name")
    }


def old_rows(path):
    doc = json.load(open(path))
    rows = []
    for report in doc.get("reports", []):
        for v in report.get("violations", []):
            rows.append((report["file"], bare(v.get("function")), v["type"], v.get("line_number")))
    return rows


def new_rows(path):
    doc = json.load(open(path))
    return [
        (v["path"], bare(v.get("function")), v["metric"], v.get("line"))
        for v in doc.get("violations", [])
    ]


def kind_of_old_only(row):
    path, function, metric, _ = row
    if function is None and metric == "cognitive_complexity":
        return "1.2 file-level cognitive row"
    if function is None and metric == "cyclomatic_complexity":
        return "1.2 file-level cyclomatic average"
    return "only in 1.2"


def main():
    old_path, new_path, label = sys.argv[1:4]
    old = old_rows(old_path)
    new = new_rows(new_path)
    old_keys = Counter((p, f, m) for p, f, m, _ in old)
    new_keys = Counter((p, f, m) for p, f, m, _ in new)
    kinds = Counter()
    unexplained = []
    for row in old:
        key = row[:3]
        if new_keys[key] > 0:
            new_keys[key] -= 1
            old_keys[key] -= 1
            continue
        kind = kind_of_old_only(row)
        kinds[kind] += 1
        if kind not in EXPLAINED:
            unexplained.append(("1.2 only", row))
    measured = old_functions(old_path)
    for key, count in new_keys.items():
        for _ in range(count):
            path, function, metric = key
            # 1.2 (radon's cc_visit) reports no nested function by itself.
            if metric == "cyclomatic_complexity" and function and (path, function) not in measured:
                kinds["closure judged on its own"] += 1
                continue
            kinds["only in antipasta"] += 1
            line = next((r[3] for r in new if r[:3] == key), None)
            unexplained.append(("antipasta only", key + (line,)))
    old_files = {r["file"] for r in json.load(open(old_path)).get("reports", [])}
    new_files = {f["path"] for f in json.load(open(new_path)).get("files", [])}
    for path in sorted(old_files - new_files):
        unexplained.append(("analysed by 1.2 only", (path, None, "-", None)))
    for path in sorted(new_files - old_files):
        unexplained.append(("analysed by antipasta only", (path, None, "-", None)))
    print(f"{label}: {len(old_files)} files in 1.2, {len(new_files)} in antipasta; "
          f"1.2 {len(old)} violations, antipasta {len(new)}; differences: "
          + (", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none"))
    for side, row in sorted(unexplained, key=lambda r: (r[1][0], str(r[1][1]), r[1][2])):
        print(f"  {side}: {row[0]}:{row[3]} {row[1]} {row[2]}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
