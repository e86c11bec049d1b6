#!/usr/bin/env bash
# The whole test suite: installs what is missing (Debian packages), builds
# with warnings as errors, and runs every kind of test through CTest: unit,
# integration (real Mosquitto, real server, real SQLite on loopback ports
# chosen at run time), fuzz, the sanitizer build, lint and, where the web UI
# exists, the browser tests in headless Chromium.
#
#   scripts/test.sh              everything
#   scripts/test.sh -L unit      only some labels (passed to ctest)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TAULU_BUILD_DIR:-$root/build}

"$root/scripts/deps.sh" --with-browser
cmake -S "$root" -B "$build" -DTAULU_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
exec ctest --output-on-failure --timeout 3000 -j"$(nproc)" "$@"
