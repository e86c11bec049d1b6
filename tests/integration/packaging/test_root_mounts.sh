#!/usr/bin/env bash
# test_root_mounts.sh: root_mounts.sh, the mount and clean-up path of
# test_debs.sh, on a plain temporary folder instead of a debootstrap root
# (seconds instead of minutes). A driver script sources it as test_debs.sh
# does, mounts what test_debs.sh mounts (proc, a bind of /dev, a bind of a
# cache folder) plus a tmpfs below one of them and a mount kept busy by a
# process inside it, says it is ready, and is then killed:
#
#  1. SIGTERM (and SIGINT, SIGHUP) without the private namespace: the
#     traps unmount everything under the root, the busy one lazily; the
#     exit status is 128 + the signal.
#  2. SIGKILL in the private namespace (no trap runs, as at a CTest
#     timeout): the mounts were never visible outside the driver, and
#     nothing is mounted under the root afterwards.
#  3. root_remove refuses a root with something mounted under it and
#     leaves what is there; with nothing mounted it removes it.
#
# The root's path has a space in it (mountinfo spells it \040). Needs root
# (mount); skipped (exit 77) without it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: test_root_mounts needs root (mount, bind mounts); CI runs as root"
    exit 77
fi

tmp=$(mktemp -d)
root="$tmp/a root"
bg=()
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# shellcheck source=root_mounts.sh
. "$here/root_mounts.sh"
root_mounts_init "$root"
finish() {
    local p
    for p in "${bg[@]}"; do
        kill -9 "$p" 2>/dev/null || true
    done
    root_unmount_all || true
    rm -rf --one-file-system "$tmp"
}
trap finish EXIT
# Job control: a background job of a script otherwise starts with SIGINT
# ignored, and an ignored signal cannot be trapped (a Ctrl-C reaches
# test_debs.sh in the foreground, where it is not).
set -m

cat >"$tmp/driver.sh" <<'EOF'
#!/usr/bin/env bash
# driver.sh LIB ROOT CACHE READY BUSYPID: as test_debs.sh does
set -euo pipefail
. "$1"
root_mounts_private "$0" "$@"
root=$2
ready=$4
root_mounts_init "$root"
hook() {
    # what test_debs.sh's hook does: the processes, not the mounts
    echo hook >>"$ready.hook"
}
root_mounts_traps hook
root_mount -t proc proc "$root/proc"
root_mount --bind /dev "$root/dev"
root_mount --bind "$3" "$root/var/cache/apt/archives"
mkdir -p "$root/var/cache/apt/archives/partial"
mount -t tmpfs tmpfs "$root/var/cache/apt/archives/partial"
# a process with its working folder in the root keeps /proc busy
(cd "$root/proc" && exec sleep 600) &
echo $! >"$5"
root_mounts_under | wc -l >"$4.tmp"
mv "$4.tmp" "$4"
# the foreground command the signal finds (apt-get in test_debs.sh)
while :; do
    sleep 0.1
done
EOF
chmod +x "$tmp/driver.sh"

# start NS: the driver in the background (pid in $driver), waited for
# until it has mounted; $seen: how many mounts it sees under the root.
start() {
    rm -f "$tmp/ready" "$tmp/ready.hook"
    mkdir -p "$root/proc" "$root/dev" "$root/var/cache/apt/archives" "$tmp/cache"
    ROOT_MOUNTS_NS=$1 "$tmp/driver.sh" "$here/root_mounts.sh" "$root" \
        "$tmp/cache" "$tmp/ready" "$tmp/busy.pid" &
    driver=$!
    bg+=("$driver")
    for _ in $(seq 100); do
        [ -s "$tmp/ready" ] && break
        sleep 0.1
    done
    [ -s "$tmp/ready" ] || fail "the driver did not get to its mounts"
    bg+=("$(cat "$tmp/busy.pid")")
    seen=$(cat "$tmp/ready")
    [ "$seen" -eq 4 ] || fail "the driver sees $seen mounts under the root, want 4"
}

# ---- 1. a signal, with the traps alone
for sig in TERM INT HUP; do
    start off
    [ "$(root_mounts_under | wc -l)" -eq 4 ] ||
        fail "without a namespace the mounts should be seen here: $(root_mounts_under)"
    kill -s "$sig" "$driver"
    rc=0
    wait "$driver" || rc=$?
    want=$((128 + $(kill -l "$sig")))
    [ "$rc" -eq "$want" ] || fail "SIG$sig: the driver exited with $rc, want $want"
    [ "$(cat "$tmp/ready.hook" 2>/dev/null)" = hook ] ||
        fail "SIG$sig: the hook did not run once before the unmounts"
    left=$(root_mounts_under)
    [ -z "$left" ] || fail "SIG$sig: still mounted under the root: $left"
    [ -z "$(ls -A "$root/dev")" ] || fail "SIG$sig: $root/dev is not empty"
    kill -9 "$(cat "$tmp/busy.pid")" 2>/dev/null || true
    echo "SIG$sig: exit $rc, hook ran, nothing left mounted (the busy /proc lazily)"
done

# ---- 2. SIGKILL in the private namespace
start ""
left=$(root_mounts_under)
[ -z "$left" ] || fail "the private namespace's mounts are seen outside it: $left"
kill -9 "$driver"
wait "$driver" 2>/dev/null || true
kill -9 "$(cat "$tmp/busy.pid")" 2>/dev/null || true
[ -z "$(root_mounts_under)" ] || fail "after SIGKILL: $(root_mounts_under)"
[ -z "$(ls -A "$root/dev")" ] || fail "after SIGKILL: $root/dev is not empty"
echo "SIGKILL: the driver saw its $seen mounts, nobody else did, none left"

# ---- 3. no removal while mounted
mount -t tmpfs tmpfs "$root/dev"
echo keep >"$root/dev/keep"
if (root_remove) 2>"$tmp/remove.err"; then
    fail "root_remove removed a root with a mount in it"
fi
grep -q "still mounted" "$tmp/remove.err" || fail "root_remove said: $(cat "$tmp/remove.err")"
[ -f "$root/dev/keep" ] || fail "root_remove deleted inside a mount"
[ -d "$root/proc" ] || fail "root_remove deleted part of the root before refusing"
root_unmount_all || fail "root_unmount_all: $(root_mounts_under)"
root_remove || fail "root_remove of an unmounted root"
[ ! -e "$root" ] || fail "root_remove left the root"
echo "root_remove: refused while mounted, removed when not"
echo "PASS"
