#!/bin/sh
# check_config.sh SERVER CONFIG_DIR: infotaulu-server --check-config on a
# bad file exits 1 with file:line on stderr; on a good one it exits 0 and
# prints the effective settings, the command line beating the file.
set -u
srv=$1
dir=$2
out=$(mktemp) || exit 1
err=$(mktemp) || exit 1
trap 'rm -f "$out" "$err"' EXIT
fail() {
    echo "FAIL: $*" >&2
    echo "--- stdout" >&2
    cat "$out" >&2
    echo "--- stderr" >&2
    cat "$err" >&2
    exit 1
}

"$srv" --config "$dir/bad.conf" --check-config >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 1 ] || fail "bad file: exit $rc, not 1"
grep -q "^$dir/bad.conf:3: unknown key \"prot\"" "$err" ||
    fail "bad file: no file:line for line 3"
grep -q "^$dir/bad.conf:4: " "$err" || fail "bad file: no file:line for line 4"

"$srv" --config "$dir/good.conf" --check-config --port 9000 >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "good file: exit $rc, not 0"
grep -q '^port = 9000$' "$out" || fail "good file: --port did not win"
grep -q '^log_level = notice$' "$out" || fail "good file: log_level not read"
grep -q '^secure_cookies = true$' "$out" || fail "good file: secure_cookies"

"$srv" --config "$dir/missing.conf" --check-config >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 1 ] || fail "missing named file: exit $rc, not 1"
echo "ok"
