#!/usr/bin/env bash
# unit_security.sh MAX UNIT...: `systemd-analyze security --offline=true`
# of each unit file; fails when one's overall exposure is above MAX, and
# prints what it still lacks either way. Exit 77 (skipped) without
# systemd-analyze (package systemd).
set -euo pipefail
max=$1
shift
command -v systemd-analyze >/dev/null ||
    { echo "SKIP: no systemd-analyze (package systemd)"; exit 77; }
bad=0
for u in "$@"; do
    out=$(systemd-analyze security --offline=true --no-pager "$u" 2>&1) ||
        { echo "FAIL: systemd-analyze security $u: $out" >&2; exit 1; }
    level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    [ -n "$level" ] || { echo "FAIL: no exposure level for $u: $out" >&2; exit 1; }
    echo "$(basename "$u"): $level (at most $max)"
    printf '%s\n' "$out" | grep -E '^(✗|- )' | sed -e 's/^/    /' -e 's/  *$//' || true
    if awk -v l="$level" -v m="$max" 'BEGIN { exit !(l > m) }'; then
        echo "FAIL: $(basename "$u") is exposed $level, more than $max" >&2
        bad=1
    fi
done
exit $bad
