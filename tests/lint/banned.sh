#!/usr/bin/env bash
# Fails when C sources of the project call a banned function (see
# docs/conventions.md): they have safer replacements and bounded variants.
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2
pattern='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strncat|atoi|atol|atoll|atof|gets|strtok|tmpnam|mktemp)[[:space:]]*\('
hits=$(git ls-files -co --exclude-standard -- '*.c' '*.h' 2>/dev/null |
       grep -v '^tests/lint/' | xargs -r grep -nE "$pattern" |
       grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*)')
if [ -n "$hits" ]; then
    echo "banned calls found:"
    echo "$hits"
    exit 1
fi
echo "no banned calls"
