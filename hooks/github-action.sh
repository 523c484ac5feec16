#!/usr/bin/env bash
# The steps of antipasta's GitHub Action (action.yml), runnable anywhere:
#
#   github-action.sh plan      decide what to install; write `tag` (the
#                              release to download, if any), `build` (what
#                              to compile when there is no release asset) and
#                              `key` (the cache key: names the resolved
#                              commit or content, never a moving branch) to
#                              $GITHUB_OUTPUT
#   github-action.sh install   download the release binary for `tag` and
#                              verify it against the release's SHA256SUMS
#                              (a mismatch fails), or, when the release has
#                              no asset for this platform, cargo install
#                              --locked `build`; unless the cache restored
#                              the same `key` into $ANTIPASTA_INSTALL_ROOT.
#                              Puts it on $GITHUB_PATH
#   github-action.sh base      resolve the base revision; write `base` and
#                              `commit` to $GITHUB_OUTPUT
#   github-action.sh run       antipasta diff <base>...HEAD: annotations on
#                              stdout, a Markdown summary appended to
#                              $GITHUB_STEP_SUMMARY, SARIF when asked; the
#                              exit code is antipasta's (0 clean, 1 failing
#                              violations per --fail-on, 2 error)
#
# Inputs arrive as environment variables (set by action.yml from its
# inputs). ANTIPASTA_RELEASES_URL (default
# https://github.com/$ACTION_REPOSITORY/releases) and ANTIPASTA_GIT_URL
# (default https://github.com/$ACTION_REPOSITORY) can point elsewhere, for a
# mirror or for tests.
set -euo pipefail

log() { echo "antipasta action: $*" >&2; }
download_dir=""
trap '[[ -z "$download_dir" ]] || rm -rf "$download_dir"' EXIT
die() {
    log "$*"
    exit 1
}

releases_url() { echo "${ANTIPASTA_RELEASES_URL:-https://github.com/${ACTION_REPOSITORY:?}/releases}"; }
git_url() { echo "${ANTIPASTA_GIT_URL:-https://github.com/${ACTION_REPOSITORY:?}}"; }

# A release tag: 1.2.3 or v1.2.3, optionally with a pre-release suffix.
is_release() { [[ $1 =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([.-][0-9A-Za-z.-]+)?$ ]]; }

sha256() {
    if command -v sha256sum >/dev/null; then
        sha256sum "$@"
    else
        shasum -a 256 "$@"
    fi
}

# The release archive's target for this runner, empty where none is built.
release_target() {
    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) echo x86_64-unknown-linux-musl ;;
        Linux-aarch64 | Linux-arm64) echo aarch64-unknown-linux-musl ;;
        Darwin-x86_64) echo x86_64-apple-darwin ;;
        Darwin-arm64 | Darwin-aarch64) echo aarch64-apple-darwin ;;
        *) echo "" ;;
    esac
}

# A hash of what `cargo install --path` would build from the action's files.
source_hash() {
    (
        cd "${ACTION_PATH:?}"
        find Cargo.toml Cargo.lock src -type f -print0 | LC_ALL=C sort -z | xargs -0 cat | sha256 | cut -c1-40
    )
}

plan() {
    local version="${ANTIPASTA_VERSION:-}" tag="" build="" key=""
    if [[ -z "$version" ]] && is_release "${ACTION_REF:-}"; then
        # `uses: owner/antipasta@v1.2.3`: that release's binary, else a build
        # of the action's own files (the same tag).
        tag="v${ACTION_REF#v}"
        build="path"
        key="release-$tag"
    elif [[ -z "$version" ]]; then
        # A branch or commit of the action: build its own files.
        build="path"
        key="path-$(source_hash)"
    elif [[ "$version" == latest ]]; then
        # Always asked anew: the latest release changes.
        tag="latest"
    elif is_release "$version"; then
        tag="v${version#v}"
        build="tag:$tag"
        key="release-$tag"
    else
        if [[ ! "$version" =~ ^[A-Za-z0-9][A-Za-z0-9._/-]*$ ]]; then
            die "version '$version' is not a release, \`latest\`, a branch or a commit"
        fi
        local commit
        if [[ "$version" =~ ^[0-9a-f]{40}$ ]]; then
            commit="$version"
        else
            # A branch (or a tag that is not a release number): the commit it
            # names now, so the cache never serves an older build of it.
            # A branch first; an annotated tag by the commit it points to.
            local refs
            refs="$(git ls-remote "$(git_url)" "refs/heads/$version" "refs/tags/$version*")" ||
                die "cannot list the refs of $(git_url)"
            commit="$(awk -v ref="$version" '
                $2 == "refs/heads/" ref { branch = $1 }
                $2 == "refs/tags/" ref "^{}" { peeled = $1 }
                $2 == "refs/tags/" ref { tag = $1 }
                END { print branch ? branch : peeled ? peeled : tag }' <<<"$refs")"
            [[ -n "$commit" ]] || die "$(git_url) has no branch or tag '$version'"
        fi
        tag="$version"
        build="commit:$commit"
        key="commit-$commit"
    fi
    log "plan: release '${tag:-none}', else build '${build:-none}' (cache key '${key:-none}')"
    {
        echo "tag=$tag"
        echo "build=$build"
        echo "key=$key"
    } >> "${GITHUB_OUTPUT:-/dev/null}"
}

# fetch URL FILE: 0 when fetched, 1 when the server says 404, else dies.
fetch() {
    local code
    code="$(curl --silent --show-error --location --proto '=http,https' --retry 3 \
        --output "$2" --write-out '%{http_code}' "$1")" || die "cannot download $1"
    case "$code" in
        200) return 0 ;;
        404) return 1 ;;
        *) die "downloading $1 answered HTTP $code" ;;
    esac
}

# download TAG DIR: the release binary into DIR/bin, verified; 1 when the
# release has no asset for this platform.
download() {
    local tag="$1" root="$2" target base
    target="$(release_target)"
    [[ -n "$target" ]] || {
        log "no release binary is built for $(uname -s) $(uname -m)"
        return 1
    }
    base="$(releases_url)"
    if [[ "$tag" == latest ]]; then base="$base/latest/download"; else base="$base/download/$tag"; fi
    local asset="antipasta-$target.tar.gz"
    download_dir="$(mktemp -d)"
    local work="$download_dir"
    if ! fetch "$base/SHA256SUMS" "$work/SHA256SUMS"; then
        log "release '$tag' has no SHA256SUMS: no release assets"
        return 1
    fi
    local expected
    expected="$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$work/SHA256SUMS")"
    if [[ -z "$expected" ]]; then
        log "release '$tag' lists no $asset in SHA256SUMS"
        return 1
    fi
    if ! fetch "$base/$asset" "$work/$asset"; then
        log "release '$tag' has no $asset"
        return 1
    fi
    local actual
    actual="$(sha256 "$work/$asset" | cut -d' ' -f1)"
    if [[ "$actual" != "$expected" ]]; then
        rm -f "$work/$asset"
        die "checksum mismatch for $asset of release '$tag': SHA256SUMS says $expected, the download is $actual; refusing to install it"
    fi
    mkdir "$work/unpacked"
    tar -xzf "$work/$asset" -C "$work/unpacked"
    local binary="$work/unpacked/antipasta-$target/antipasta"
    [[ -f "$binary" && ! -L "$binary" ]] || die "$asset holds no antipasta-$target/antipasta"
    mkdir -p "$root/bin"
    rm -f "$root/bin/antipasta"
    cp "$binary" "$root/bin/antipasta"
    chmod 755 "$root/bin/antipasta"
    log "installed the release binary $asset of '$tag' (sha256 $actual)"
}

install() {
    local root="${ANTIPASTA_INSTALL_ROOT:?}"
    local tag="${ANTIPASTA_TAG:-}" build="${ANTIPASTA_BUILD:-}" key="${ANTIPASTA_KEY:-}"
    local stamp="$root/.antipasta-version"
    if [[ -n "$key" && -x "$root/bin/antipasta" && -f "$stamp" && "$(cat "$stamp")" == "$key" ]]; then
        log "using the cached install ($key)"
    elif [[ -n "$tag" ]] && download "$tag" "$root"; then
        echo "$key" > "$stamp"
    else
        [[ -n "$build" ]] || die "release '$tag' has no binary for this platform, and \`latest\` names no source to build"
        log "no release binary: building with cargo install --locked ($build)"
        case "$build" in
            path) cargo install --locked --force --root "$root" --path "${ACTION_PATH:?}" ;;
            tag:*) cargo install --locked --force --root "$root" --git "$(git_url)" --tag "${build#tag:}" ;;
            commit:*) cargo install --locked --force --root "$root" --git "$(git_url)" --rev "${build#commit:}" ;;
            *) die "unknown build '$build'" ;;
        esac
        echo "$key" > "$stamp"
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
    plan | install | base | run) "$1" ;;
    *)
        echo "usage: github-action.sh plan|install|base|run" >&2
        exit 2
        ;;
esac
