#!/usr/bin/env bash
# The steps of antipasta's GitHub Action (action.yml), runnable anywhere:
#
#   github-action.sh install   build antipasta into $ANTIPASTA_INSTALL_ROOT
#                              unless it is there; put it on $GITHUB_PATH
#   github-action.sh base      resolve the base revision; write `base` and
#                              `commit` to $GITHUB_OUTPUT
#   github-action.sh run       antipasta diff <base>...HEAD: annotations on
#                              stdout, a Markdown summary appended to
#                              $GITHUB_STEP_SUMMARY, SARIF when asked; the
#                              exit code is antipasta's (0 clean, 1 failing
#                              violations per --fail-on, 2 error)
#
# Inputs arrive as environment variables (set by action.yml from its inputs).
set -euo pipefail

log() { echo "antipasta action: $*" >&2; }

install() {
    local root="${ANTIPASTA_INSTALL_ROOT:?}"
    local version="${ANTIPASTA_VERSION:-}"
    local stamp="$root/.antipasta-version"
    local wanted="${version:-path:$(git -C "${ACTION_PATH:?}" rev-parse HEAD 2>/dev/null || echo unknown)}"
    if [[ -x "$root/bin/antipasta" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
        log "using the cached build ($wanted)"
    elif [[ -z "$version" ]]; then
        cargo install --locked --force --root "$root" --path "$ACTION_PATH"
        echo "$wanted" > "$stamp"
    else
        cargo install --locked --force --root "$root" \
            --git "https://github.com/${ACTION_REPOSITORY:?}" --rev "$version"
        echo "$wanted" > "$stamp"
    fi
    echo "$root/bin" >> "${GITHUB_PATH:-/dev/null}"
    "$root/bin/antipasta" --version >&2
}

base() {
    local base="${ANTIPASTA_BASE:-}"
    if [[ -z "$base" && -n "${BASE_REF:-}" ]]; then
        # A pull request: its base branch as the remote has it.
        base="origin/$BASE_REF"
        if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
            git fetch --no-tags --quiet origin "$BASE_REF" 2>/dev/null || true
            git rev-parse --verify --quiet "$base^{commit}" >/dev/null || base="FETCH_HEAD"
        fi
    fi
    if [[ -z "$base" && -n "${PUSH_BEFORE:-}" && ! "$PUSH_BEFORE" =~ ^0+$ ]]; then
        base="$PUSH_BEFORE"
    fi
    if [[ -z "$base" ]]; then
        base="HEAD~1"
    fi
    local commit
    if ! commit="$(git rev-parse --verify --quiet "$base^{commit}")"; then
        log "cannot resolve the base revision '$base'; antipasta will say what to fetch"
        commit="unknown"
    fi
    log "base: $base ($commit)"
    {
        echo "base=$base"
        echo "commit=$commit"
    } >> "${GITHUB_OUTPUT:-/dev/null}"
}

run() {
    local base="${ANTIPASTA_BASE:?}"
    local fail_on="${ANTIPASTA_FAIL_ON:-worsened}"
    local -a args=()
    read -r -a args <<< "${ANTIPASTA_ARGS:-}"
    # (The `+` form keeps an empty array safe under `set -u` in bash 3.2, macOS's.)
    local -a diff=(antipasta diff "$base...HEAD" --fail-on "$fail_on" ${args[@]+"${args[@]}"})
    local status=0
    # Annotations: the runner reads workflow commands from stdout.
    "${diff[@]}" --format github || status=$?
    # The summary lists every violation (GitHub shows at most 10 annotations
    # of a kind per step); the second run answers from the result cache.
    if [[ $status -ne 2 ]]; then
        "${diff[@]}" --format markdown >> "${GITHUB_STEP_SUMMARY:-/dev/null}" || true
        if [[ -n "${ANTIPASTA_SARIF_FILE:-}" ]]; then
            "${diff[@]}" --format sarif > "$ANTIPASTA_SARIF_FILE" || true
        fi
    fi
    echo "exit-code=$status" >> "${GITHUB_OUTPUT:-/dev/null}"
    case $status in
        0) log "no failing violations (--fail-on $fail_on)" ;;
        1) log "failing violations (--fail-on $fail_on); see the annotations and the job summary" ;;
        *) log "antipasta could not judge the change (exit $status)" ;;
    esac
    return "$status"
}

case "${1:-}" in
    install | base | run) "$1" ;;
    *)
        echo "usage: github-action.sh install|base|run" >&2
        exit 2
        ;;
esac
