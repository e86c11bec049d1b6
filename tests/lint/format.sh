#!/usr/bin/env bash
# Fails when a C file of the project is not formatted by .clang-format.
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2
if ! command -v clang-format >/dev/null 2>&1; then
    echo "clang-format not installed (scripts/debian-packages.txt lists it)"
    exit 1
fi
bad=""
for f in $(git ls-files -co --exclude-standard -- '*.c' '*.h'); do
    [ -f "$f" ] || continue
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
    echo "not formatted (run clang-format -i):$bad"
    exit 1
fi
echo "all C files formatted"
