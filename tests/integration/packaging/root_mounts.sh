# shellcheck shell=bash
# root_mounts.sh: sourced (bash) by test_debs.sh and test_root_mounts.sh.
# The mounts a script makes inside a chroot root (/proc, a bind of /dev,
# the apt cache), undone on every way out, and the root removed only when
# nothing is mounted in it: `rm -rf` of a root with /dev bound into it
# deletes the machine's device nodes.
#
#   root_mounts_private "$0" "$@"  first thing in the script: re-runs it in
#                                  a mount namespace of its own (below)
#   root_mounts_init ROOT          the root the rest works under
#   root_mounts_traps [HOOK]       on EXIT, INT, TERM and HUP: HOOK (the
#                                  script's own cleanup: processes that
#                                  hold the mounts), then root_unmount_all
#   root_mount ARGS... TARGET      mount(8), TARGET under the root
#   root_mounts_under              what is mounted at or under the root now
#   root_unmount_all               unmounts all of it; idempotent
#   root_remove                    rm -rf of the root; refuses (returns 1)
#                                  while anything is mounted under it
#
# Two layers, because no trap runs on SIGKILL (what CTest 3.25 sends at a
# test's TIMEOUT):
#  - The private namespace. The mounts exist only in the script's own
#    mount namespace (unshare --mount --propagation private): the rest of
#    the machine never sees them, and the kernel drops them when the last
#    process in it exits, however it ends. Skipped when unshare cannot
#    make one (then the traps alone).
#  - The traps: a signal ends the script through `exit`, so the EXIT trap
#    runs the hook and unmounts. Bash runs a trap only when the command in
#    the foreground returns, so a TERM during apt-get waits for apt-get.
#
# Mount points with a newline in their path are not handled.

rm_root=""
rm_hook=""

# The re-run in a namespace of its own; ROOT_MOUNTS_NS=off (or already in
# one) runs on as it is.
root_mounts_private() {
    if [ "${ROOT_MOUNTS_NS:-}" = off ] || [ "${ROOT_MOUNTS_NS:-}" = in ]; then
        return 0
    fi
    if ! command -v unshare >/dev/null ||
        ! unshare --mount --propagation private true 2>/dev/null; then
        echo "root_mounts: no mount namespace of its own (unshare); the traps alone undo the mounts" >&2
        return 0
    fi
    export ROOT_MOUNTS_NS=in
    exec unshare --mount --propagation private -- "$@"
}

root_mounts_init() {
    rm_root=$(realpath -m "$1")
    case "$rm_root" in
    / | "") echo "root_mounts: refusing the root '$1'" >&2; return 1 ;;
    esac
}

# A path as /proc/self/mountinfo spells it (octal escapes).
rm_escape() {
    local s=${1//\\/\\134}
    s=${s// /\\040}
    s=${s//$'\t'/\\011}
    printf '%s' "${s//$'\n'/\\012}"
}

# Mount points at or under the root, one a line, in the order of
# mountinfo (a mount after the one it sits on).
root_mounts_under() {
    local e mp
    [ -n "$rm_root" ] || return 0
    e=$(rm_escape "$rm_root")
    # shellcheck disable=SC2034
    while read -r _ _ _ _ mp _; do
        if [ "$mp" = "$e" ] || [[ "$mp" == "$e"/* ]]; then
            # \040 -> \0040, which %b reads as octal
            printf '%b\n' "${mp//\\/\\0}"
        fi
    done </proc/self/mountinfo
}

root_mount() {
    local target=${!#}
    case "$(realpath -m "$target")" in
    "$rm_root"/*) ;;
    *) echo "root_mounts: $target is not under $rm_root" >&2; return 1 ;;
    esac
    mount "$@"
}

# Everything under the root, the last mounted first: what root_mount made
# and what anything else mounted there (a package's script). A busy mount
# (a process still in it) is detached lazily: gone from the tree at once,
# freed when the process lets go.
root_unmount_all() {
    local m
    local -a ms
    for _ in 1 2 3; do
        mapfile -t ms < <(root_mounts_under | tac)
        [ ${#ms[@]} -gt 0 ] || return 0
        for m in "${ms[@]}"; do
            umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
        done
    done
    [ -z "$(root_mounts_under)" ]
}

root_remove() {
    local left
    [ -n "$rm_root" ] || return 1
    left=$(root_mounts_under)
    if [ -n "$left" ]; then
        echo "root_mounts: not removing $rm_root, still mounted under it:" "$left" >&2
        return 1
    fi
    # and never across into another file system, should one appear now
    rm -rf --one-file-system -- "$rm_root"
}

rm_on_exit() {
    local rc=$?
    trap - EXIT INT TERM HUP
    set +e
    if [ -n "$rm_hook" ]; then
        "$rm_hook"
    fi
    root_unmount_all || echo "root_mounts: still mounted under $rm_root:" "$(root_mounts_under)" >&2
    exit "$rc"
}

# A signal ends the script through exit, so that the EXIT trap runs.
rm_on_signal() {
    exit "$1"
}

root_mounts_traps() {
    rm_hook=${1:-}
    trap rm_on_exit EXIT
    trap 'rm_on_signal 129' HUP
    trap 'rm_on_signal 130' INT
    trap 'rm_on_signal 143' TERM
}
