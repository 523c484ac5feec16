#!/usr/bin/env bash
# Side-by-side timing of `antipasta check` (all metrics; without cache and
# with a warm cache) against ESLint 10.15.0 running only `complexity` and
# eslint-plugin-sonarjs 4.2.2 `cognitive-complexity`, and against lizard
# 1.24.3, on webpack 5.113.0's lib/ (pinned in bench/js.lock), in one run.
#
# Usage: bench/js.sh [RUNS]   (default 3 runs each; the median is shown)
# Needs: cargo, curl, tar, openssl, node + npm, python3 with venv; the npm
# registry and PyPI reachable. Everything goes under bench/.work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
work="bench/.work"
mkdir -p "$work"

python="$(command -v python3)"
corpus_root="$work/js-corpus"
corpus="$corpus_root/webpack-5.113.0"
if [ ! -d "$corpus" ]; then
    LOCK=bench/js.lock CORPUS_ROOT="$corpus_root" bash fixtures/javascript/fetch_corpus.sh
fi

tools="$work/js-tools"
if [ ! -x "$tools/node_modules/.bin/eslint" ]; then
    echo "installing eslint and eslint-plugin-sonarjs into $tools" >&2
    mkdir -p "$tools"
    echo '{"private": true}' > "$tools/package.json"
    (cd "$tools" && npm install --silent --no-audit --no-fund eslint@10.15.0 eslint-plugin-sonarjs@4.2.2)
fi
cat > "$tools/eslint.config.mjs" <<'CONFIG'
import sonarjs from 'eslint-plugin-sonarjs';
export default [
  {
    files: ['**/*.js'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { sonarjs },
    rules: { complexity: ['error', 10], 'sonarjs/cognitive-complexity': ['error', 15] },
  },
];
CONFIG
if [ ! -x "$work/js-venv/bin/lizard" ]; then
    "$python" -m venv "$work/js-venv"
    "$work/js-venv/bin/pip" install --quiet lizard==1.24.3
fi

cargo build --release --quiet
printf 'ignore_patterns = []\n' > "$work/antipasta-js.toml"
rm -rf "$work/js-cache"
target/release/antipasta check "$corpus" --config "$work/antipasta-js.toml" --format json --quiet --cache-dir "$work/js-cache" > /dev/null || true

files=$(find "$corpus" -name '*.js' | wc -l)
megabytes=$(find "$corpus" -name '*.js' -print0 | du -cm --files0-from=- | tail -1 | cut -f1)
cores=$(nproc)
echo "corpus: $corpus ($files .js files, ${megabytes} MB), $cores cores, $runs runs each"

"$python" bench/measure.py --runs "$runs" \
    "antipasta check (no cache)::target/release/antipasta check $corpus --config $work/antipasta-js.toml --format json --quiet --no-cache" \
    "antipasta check (warm cache)::target/release/antipasta check $corpus --config $work/antipasta-js.toml --format json --quiet --cache-dir $work/js-cache" \
    "eslint complexity+cognitive::$tools/node_modules/.bin/eslint --config $tools/eslint.config.mjs --no-inline-config --concurrency $cores --format json $corpus" \
    "eslint (1 thread)::$tools/node_modules/.bin/eslint --config $tools/eslint.config.mjs --no-inline-config --format json $corpus" \
    "lizard (-t $cores)::$work/js-venv/bin/lizard -t $cores -l javascript $corpus"
