#!/usr/bin/env bash
# test_debs.sh SOURCE WORK: the Debian packages (scripts/build-debs.sh)
# installed into a fresh Debian 12 root and used there as an administrator
# would, then purged.
#
#  1. The packages are built from SOURCE into WORK/debs.
#  2. A clean root: debootstrap --variant=minbase of bookworm into
#     WORK/root. The first run keeps the pristine root as a tarball in
#     WORK/cache and each later run unpacks a fresh copy of it (seconds
#     instead of debootstrap's minute or two); the .debs apt fetches are
#     kept there too, so a rerun downloads nothing but the indexes. The
#     mirror is the one this machine's apt uses.
#  3. apt installs the four packages there, so their Depends are resolved
#     by apt for real; then the install is checked: the user and its
#     groups, the folders and their modes, the signing key, the conffiles,
#     the units enabled (no systemd runs in a chroot: nothing started).
#  4. The installed programs run as the units say, without systemd: the
#     ExecStart= line of each unit as its User=, inside the root (chroot
#     --userspec). Mosquitto runs with Debian's configuration plus the
#     package's conf.d file; what infotaulu-broker-reload.path does (a
#     reload of Mosquitto when a watched file changes) is done by this
#     script for the PathChanged= files the installed path unit names.
#     Through the API: a centre, a screen, an organisation, a bulletin;
#     the screen's settings as the server gave them go to player.conf; the
#     player starts (headless: no display) and syncs; the bulletin is
#     approved and must reach the player: the server's status of the
#     screen says the new manifest is applied, the player's cache holds
#     it, and the player drew a new frame. The database is backed up as
#     docs/deployment.md says, while the server runs.
#  5. apt purges the packages: what they and their scripts made is gone
#     (conffiles, units and their enable links, the cache, the broker
#     files), the server's data (database, signing key) stays, as
#     docs/deployment.md says.
#
# Needs root (debootstrap, chroot, mounts) and the network to the Debian
# mirror; without root it says so and is skipped (exit 77).
#
# The mounts in the root (/proc, /dev, the apt cache) live in a mount
# namespace of this script's own and are undone on every exit, a signal
# included; the root is removed only with nothing mounted in it
# (root_mounts.sh, test_root_mounts.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=root_mounts.sh
. "$here/root_mounts.sh"
if [ "$(id -u)" -eq 0 ]; then
    root_mounts_private "$0" "$@"
fi
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
t0=$(date +%s)

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: test_debs needs root (debootstrap, chroot, mount); CI runs as root"
    exit 77
fi
for t in debootstrap dpkg-deb python3 curl; do
    command -v $t >/dev/null || { echo "FAIL: $t is missing (scripts/deps.sh)" >&2; exit 1; }
done

root="$work/root"
cache="$work/cache"
mkdir -p "$cache/archives/partial"
root_mounts_init "$root"
pids=()

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() {
    echo "[$(($(date +%s) - t0)) s] $*"
}
# Removes the root (a leftover of an earlier run), unmounting first.
remove_root() {
    root_unmount_all || true
    root_remove || fail "still mounted under $root: $(root_mounts_under)"
}
passed=""
# The processes in the root first (they hold its mounts), then, after the
# traps have unmounted everything, the root itself if the test passed.
stop_processes() {
    local p
    for p in "${pids[@]}"; do
        kill -9 "$p" 2>/dev/null || true
    done
    if [ -s "$root/run/mosquitto/mosquitto.pid" ]; then
        kill -9 "$(cat "$root/run/mosquitto/mosquitto.pid")" 2>/dev/null || true
    fi
}
cleanup() {
    stop_processes
    root_unmount_all || true
    # kept after a failure, to look at
    if [ -n "$passed" ]; then
        root_remove || true
    fi
}
root_mounts_traps cleanup
in_root() {
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

# ---- 1. the packages
step "building the packages"
"$src/scripts/build-debs.sh" "$work/debs" >"$work/build-debs.log" 2>&1 ||
    fail "build-debs.sh: $(tail -20 "$work/build-debs.log")"
debs=("$work"/debs/*.deb)
[ ${#debs[@]} -eq 4 ] || fail "want 4 packages, got ${#debs[@]}"

# ---- 2. a clean Debian 12 root
# The mirror and the apt sources of this machine (deb822 or one-line),
# the bookworm entries only.
python3 - "$work/sources.list" "$work/mirror" <<'EOF'
import glob, os, sys
lines, mirror = [], None
def add(types, uris, suites, comps, signed):
    global mirror
    if "deb" not in types:
        return
    for u in uris:
        for s in suites:
            if not s.startswith("bookworm"):
                continue
            opt = " [signed-by=%s]" % signed if signed else ""
            lines.append("deb%s %s %s %s" % (opt, u, s, " ".join(comps)))
            if s == "bookworm" and mirror is None:
                mirror = u
for f in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in open(f).read().split("\n\n"):
        kv = {}
        for l in stanza.splitlines():
            if l.startswith("#") or ":" not in l:
                continue
            k, v = l.split(":", 1)
            kv[k.strip().lower()] = v.split()
        if kv.get("enabled", ["yes"])[0] == "no":
            continue
        add(kv.get("types", []), kv.get("uris", []), kv.get("suites", []),
            kv.get("components", []), " ".join(kv.get("signed-by", [])))
for f in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    if not os.path.exists(f):
        continue
    for l in open(f):
        w = l.split("#")[0].split()
        if len(w) < 3 or w[0] != "deb":
            continue
        signed = ""
        if w[1].startswith("["):
            opts = []
            while w and not w[0].endswith("]"):
                opts.append(w.pop(0))
            w.pop(0)
            w.insert(0, "deb")
        add(["deb"], [w[1]], [w[2]], w[3:], signed)
if not mirror:
    sys.exit("no bookworm entry in this machine's apt sources")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
open(sys.argv[2], "w").write(mirror + "\n")
EOF
mirror=$(cat "$work/mirror")
base="$cache/bookworm-minbase-root.tar"
remove_root
if [ ! -s "$base" ]; then
    step "debootstrap --variant=minbase bookworm (first run: downloads and sets up the base system)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" \
        >"$work/debootstrap.log" 2>&1 ||
        fail "debootstrap: $(tail -5 "$work/debootstrap.log")"
    # the pristine root, for the next runs
    tar -C "$root" -cf "$base.tmp" . && mv "$base.tmp" "$base"
else
    step "a fresh root from the cached debootstrap"
    mkdir -p "$root"
    tar -C "$root" -xpf "$base"
fi
cp "$work/sources.list" "$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# Nothing is started by a package's scripts in here (Debian's way for
# chroots); no systemd runs in it either.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
root_mount -t proc proc "$root/proc"
root_mount --bind /dev "$root/dev"
root_mount --bind "$cache/archives" "$root/var/cache/apt/archives"
mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"

# ---- 3. install with apt
step "apt-get install of the four packages"
in_root apt-get update -qq >"$work/apt.log" 2>&1 ||
    fail "apt-get update: $(tail -5 "$work/apt.log")"
t_apt=$(date +%s)
in_debs=()
for d in "${debs[@]}"; do
    in_debs+=("/tmp/debs/$(basename "$d")")
done
in_root apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 \
    "${in_debs[@]}" >>"$work/apt.log" 2>&1 || fail "apt-get install: $(tail -20 "$work/apt.log")"
step "installed ($(grep -c '^Setting up' "$work/apt.log") packages set up in $(($(date +%s) - t_apt)) s)"

id_of() { in_root id "$@"; }
id_of infotaulu >/dev/null || fail "no user infotaulu"
for g in video render input; do
    id_of -nG infotaulu | tr ' ' '\n' | grep -qx $g || fail "infotaulu is not in $g"
done
[ "$(in_root getent passwd infotaulu | cut -d: -f6,7)" = /var/lib/infotaulu:/usr/sbin/nologin ] ||
    fail "infotaulu's home or shell: $(in_root getent passwd infotaulu)"
mode() { in_root stat -c '%a %U:%G' "$1"; }
[ "$(mode /var/lib/infotaulu)" = "750 infotaulu:infotaulu" ] ||
    fail "/var/lib/infotaulu is $(mode /var/lib/infotaulu)"
[ "$(mode /var/lib/infotaulu-broker)" = "2750 infotaulu:mosquitto" ] ||
    fail "/var/lib/infotaulu-broker is $(mode /var/lib/infotaulu-broker)"
for f in passwd acl; do
    [ "$(mode /var/lib/infotaulu-broker/$f)" = "640 infotaulu:mosquitto" ] ||
        fail "broker $f is $(mode /var/lib/infotaulu-broker/$f)"
done
[ "$(mode /var/lib/infotaulu/keys/server.key)" = "600 infotaulu:infotaulu" ] ||
    fail "no signing key made at the install"
key_md5=$(md5sum <"$root/var/lib/infotaulu/keys/server.key")
for p in infotaulu-server:/etc/infotaulu/server.conf \
    infotaulu-player:/etc/infotaulu/player.conf \
    infotaulu-broker:/etc/mosquitto/conf.d/infotaulu.conf; do
    in_root dpkg-query -W -f='${Conffiles}\n' "${p%%:*}" | grep -q " ${p#*:} " ||
        fail "${p#*:} is not a conffile of ${p%%:*}"
done
for u in multi-user.target.wants/infotaulu-server.service \
    multi-user.target.wants/infotaulu-player.service \
    multi-user.target.wants/infotaulu-broker-reload.path; do
    [ -L "$root/etc/systemd/system/$u" ] || fail "not enabled: $u"
done
in_root infotaulu-server --config /etc/infotaulu/server.conf --check-config \
    >"$work/check.out" 2>&1 || fail "server --check-config: $(cat "$work/check.out")"
in_root infotaulu-player --config /etc/infotaulu/player.conf --check-config \
    >"$work/pcheck.out" 2>&1 || fail "player --check-config: $(cat "$work/pcheck.out")"
echo "install ok: user and groups, folders, signing key, conffiles, units enabled"

# A reinstall of the same version is an upgrade for the scripts: the key
# must stay.
in_root apt-get install -y -qq --reinstall -o Dpkg::Use-Pty=0 \
    "$(printf '%s\n' "${in_debs[@]}" | grep infotaulu-server_)" >>"$work/apt.log" 2>&1 ||
    fail "reinstall: $(tail -5 "$work/apt.log")"
[ "$(md5sum <"$root/var/lib/infotaulu/keys/server.key")" = "$key_md5" ] ||
    fail "the reinstall replaced the signing key"

# ---- 4. run it
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
http_port=$(free_port)
mqtt_port=$(free_port)
# The administrator's edits: ports free on this machine (the test shares
# its network).
sed -i "s/^port = .*/port = $http_port/; s/^mqtt_port = .*/mqtt_port = $mqtt_port/" \
    "$root/etc/infotaulu/server.conf"
tls_port=$(free_port)
sed -i "s/^listener 1883 127.0.0.1/listener $mqtt_port 127.0.0.1/; s/^listener 8883\$/listener $tls_port/" \
    "$root/etc/mosquitto/conf.d/infotaulu.conf"
grep -q "^listener $mqtt_port " "$root/etc/mosquitto/conf.d/infotaulu.conf" ||
    fail "the broker's conffile has no loopback listener"
grep -q "^listener $tls_port\$" "$root/etc/mosquitto/conf.d/infotaulu.conf" ||
    fail "the broker's conffile has no TLS listener for the screens"
# the certificate the package made for it: the key private to Mosquitto
[ "$(mode /etc/mosquitto/certs/infotaulu.key)" = "640 root:mosquitto" ] ||
    fail "the broker's key is $(mode /etc/mosquitto/certs/infotaulu.key)"
in_root openssl x509 -in /etc/mosquitto/certs/infotaulu.crt -noout -ext subjectAltName |
    grep -q "IP Address:127.0.0.1" || fail "the broker's certificate does not name 127.0.0.1"

# unit FIELD NAME: a field of an installed unit (the last one).
unit() {
    sed -n "s/^$2=//p" "$root/lib/systemd/system/$1" | tail -1
}
# as_unit UNIT ARGS...: the unit's ExecStart= as its User= with its
# SupplementaryGroups=, in the root, in the background.
as_unit() {
    local u=$1 user uid gid groups g list=""
    shift
    user=$(unit "$u" User)
    uid=$(in_root id -u "$user")
    gid=$(in_root id -g "$user")
    groups=$(unit "$u" SupplementaryGroups)
    for g in $groups; do
        list="$list${list:+,}$(in_root getent group "$g" | cut -d: -f3)"
    done
    # shellcheck disable=SC2046
    chroot --userspec="$uid:$gid" ${list:+--groups=$list} "$root" \
        /usr/bin/env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
        $(unit "$u" ExecStart) "$@" &
    pids+=($!)
}

step "Mosquitto, the server and the player as their units run them"
mkdir -p "$root/run/mosquitto" "$root/var/log/mosquitto"
in_root chown mosquitto: /run/mosquitto /var/log/mosquitto
in_root /usr/sbin/mosquitto -c /etc/mosquitto/mosquitto.conf -d ||
    fail "mosquitto did not start: $(tail -5 "$root/var/log/mosquitto/mosquitto.log")"
for _ in $(seq 50); do [ -s "$root/run/mosquitto/mosquitto.pid" ] && break; sleep 0.1; done
mosq_pid=$(cat "$root/run/mosquitto/mosquitto.pid")
# the screens' TLS listener answers with the package's certificate
for _ in $(seq 50); do
    echo | openssl s_client -connect "127.0.0.1:$tls_port" \
        -CAfile "$root/etc/mosquitto/certs/infotaulu.crt" -verify_return_error \
        -verify_ip 127.0.0.1 >/dev/null 2>&1 && break
    sleep 0.1
done
echo | openssl s_client -connect "127.0.0.1:$tls_port" \
    -CAfile "$root/etc/mosquitto/certs/infotaulu.crt" -verify_return_error \
    -verify_ip 127.0.0.1 >/dev/null 2>&1 ||
    fail "the broker's TLS listener does not answer with its certificate"

# What infotaulu-broker-reload.path does: the files it watches, and a
# reload of Mosquitto (its unit's ExecReload: SIGHUP) when one changes.
watched=$(sed -n 's/^PathChanged=//p' "$root/lib/systemd/system/infotaulu-broker-reload.path")
[ -n "$watched" ] || fail "the path unit watches nothing"
for f in $watched; do
    grep -qE "^(password_file|acl_file) $f\$" "$root/etc/mosquitto/conf.d/infotaulu.conf" ||
        fail "the path unit watches $f, which Mosquitto does not read"
    grep -qE "^broker_(passwd|acl) = $f\$" "$root/etc/infotaulu/server.conf" ||
        fail "the path unit watches $f, which the server does not write"
done
(
    last=""
    while sleep 0.2; do
        now=$(cd "$root" && stat -c '%Y.%i' ${watched//\/var/var} 2>/dev/null | tr '\n' ' ')
        if [ "$now" != "$last" ]; then
            [ -n "$last" ] && kill -HUP "$mosq_pid" 2>/dev/null
            last=$now
        fi
    done
) &
pids+=($!)

# The first coordinator, as the guide says.
printf 'pakettitesti-salasana-1\n' >"$work/state.pw"
in_root runuser -u infotaulu -- infotaulu-server --config /etc/infotaulu/server.conf \
    --create-coordinator koordinaattori@example.fi --name Koordinaattori \
    <"$work/state.pw" >"$work/coordinator.out" 2>&1 ||
    fail "--create-coordinator: $(cat "$work/coordinator.out")"

as_unit infotaulu-server.service >"$work/server.log" 2>&1
url="http://127.0.0.1:$http_port"
for _ in $(seq 150); do
    curl -fs "$url/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "$url/healthz" >/dev/null || fail "the server does not answer: $(tail -20 "$work/server.log")"
curl -fs "$url/" | grep -q '<title data-i18n="title.signin">' ||
    fail "the installed web UI is not served at /"

python3 "$here/api_flow.py" "$url" "$work/state" setup ||
    fail "setup through the API"
# The screen PC: the settings the server gave, the token in them (so the
# file is private), the server's key beside them.
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["player_config"], end="")' \
    "$work/state" >"$root/etc/infotaulu/player.conf"
in_root chown root:infotaulu /etc/infotaulu/player.conf
in_root chmod 0640 /etc/infotaulu/player.conf
cp "$root/var/lib/infotaulu/keys/server.pub" "$root/etc/infotaulu/server.pub"
screen_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["screen_id"])' "$work/state")
grep -q "^mqtt_port = $mqtt_port" "$root/etc/infotaulu/player.conf" ||
    fail "the player's settings do not name the broker"

# the screen's MQTT user reached the broker's password file
for _ in $(seq 50); do
    grep -q "^$screen_id:" "$root/var/lib/infotaulu-broker/passwd" && break
    sleep 0.1
done
grep -q "^$screen_id:" "$root/var/lib/infotaulu-broker/passwd" ||
    fail "$screen_id is not in the broker's password file"

# No display here: the same loop headless, a PNG at each change.
mkdir -p "$root/var/lib/infotaulu/frames"
in_root chown infotaulu: /var/lib/infotaulu/frames
as_unit infotaulu-player.service --headless --frames /var/lib/infotaulu/frames \
    --seconds 300 >"$work/player.log" 2>&1
player_pid=${pids[-1]}

# The player comes online over MQTT and applies the manifest it finds.
status() { python3 "$here/api_flow.py" "$url" "$work/state" status; }
for _ in $(seq 150); do
    status | grep -q '"online": true' && break
    sleep 0.2
done
status | grep -q '"online": true' ||
    fail "the player is not online: $(status) $(tail -20 "$work/player.log")"
frames_before=$(find "$root/var/lib/infotaulu/frames" -name '*.png' | wc -l)

step "approving the bulletin"
t_app=$(date +%s.%N)
python3 "$here/api_flow.py" "$url" "$work/state" approve || fail "approve"
title=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["title"])' "$work/state")
ok=""
# (the manifest carries the title with the soft hyphens the server puts
# into its long words: compared without them)
for _ in $(seq 150); do
    st=$(status)
    if python3 -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if s["live"] and s["applied_seq"] == s["seq"] and s["seq"] >= 2 else 1)' "$st" &&
        python3 -c 'import sys; t=open(sys.argv[1], encoding="utf-8").read().replace("\u00ad", ""); sys.exit(0 if sys.argv[2] in t else 1)' \
            "$root/var/lib/infotaulu/cache/manifest.current" "$title" 2>/dev/null; then
        ok=1
        break
    fi
    sleep 0.2
done
[ -n "$ok" ] || fail "the approval did not reach the player: $(status); $(tail -20 "$work/player.log")"
t_live=$(python3 -c "import time; print('%.1f' % (time.time() - $t_app))")
for _ in $(seq 50); do
    [ "$(find "$root/var/lib/infotaulu/frames" -name '*.png' | wc -l)" -gt "$frames_before" ] && break
    sleep 0.2
done
[ "$(find "$root/var/lib/infotaulu/frames" -name '*.png' | wc -l)" -gt "$frames_before" ] ||
    fail "the player drew no new frame after the approval"
last_frame=$(find "$root/var/lib/infotaulu/frames" -name '*.png' | sort | tail -1)
python3 "$src/tests/integration/scripts/pngcheck.py" "$last_frame" 1280 720 ||
    fail "the new frame is not a 1280x720 PNG"
echo "approval reached the player in $t_live s: status live, applied seq = seq, cache and a new frame"

# The backup as docs/deployment.md says: SQLite's online backup as the
# user infotaulu while the server runs.
in_root apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 sqlite3 \
    >>"$work/apt.log" 2>&1 || fail "apt-get install sqlite3: $(tail -5 "$work/apt.log")"
in_root install -d -o infotaulu -g infotaulu -m 0700 /var/backups/infotaulu
in_root runuser -u infotaulu -- sqlite3 /var/lib/infotaulu/infotaulu.db \
    ".backup /var/backups/infotaulu/infotaulu.db" || fail "the backup"
[ "$(in_root sqlite3 /var/backups/infotaulu/infotaulu.db 'PRAGMA integrity_check')" = ok ] ||
    fail "the backup is not a sound database"
grep -q "$title" "$root/var/backups/infotaulu/infotaulu.db" ||
    fail "the backup does not hold the bulletin"
if find "$root/var/lib/infotaulu" -user root | grep -q .; then
    fail "files of root in /var/lib/infotaulu: $(find "$root/var/lib/infotaulu" -user root)"
fi
echo "backup ok: sqlite3 .backup as infotaulu while the server runs"

kill -TERM "$player_pid"
wait "$player_pid" || fail "the player did not stop cleanly"
kill -TERM "${pids[1]}"
wait "${pids[1]}" || fail "the server did not stop cleanly: $(tail -5 "$work/server.log")"
kill -TERM "$mosq_pid"
kill "${pids[0]}" 2>/dev/null || true
sleep 0.5

# ---- 5. purge
step "apt-get purge"
in_root apt-get purge -y -qq -o Dpkg::Use-Pty=0 infotaulu-broker infotaulu-player \
    infotaulu-server infotaulu-common >>"$work/apt.log" 2>&1 ||
    fail "apt-get purge: $(tail -10 "$work/apt.log")"
left=$(in_root dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'infotaulu*' 2>/dev/null |
    grep -v '^un ' || true)
[ -z "$left" ] || fail "still known to dpkg: $left"
for gone in /etc/infotaulu /etc/mosquitto/conf.d/infotaulu.conf /var/lib/infotaulu-broker \
    /etc/mosquitto/certs/infotaulu.crt /etc/mosquitto/certs/infotaulu.key \
    /var/lib/infotaulu/cache /usr/share/infotaulu /usr/bin/infotaulu-server \
    /lib/systemd/system/infotaulu-server.service \
    /lib/systemd/system/infotaulu-broker-reload.path \
    /etc/systemd/system/multi-user.target.wants/infotaulu-server.service \
    /etc/systemd/system/multi-user.target.wants/infotaulu-player.service \
    /etc/systemd/system/multi-user.target.wants/infotaulu-broker-reload.path; do
    [ ! -e "$root$gone" ] && [ ! -L "$root$gone" ] || fail "left after purge: $gone"
done
if ls "$root"/var/lib/systemd/deb-systemd-helper-enabled/ 2>/dev/null | grep -q infotaulu ||
    find "$root/var/lib/systemd/deb-systemd-helper-enabled" "$root/var/lib/systemd/deb-systemd-helper-masked" \
        -name '*infotaulu*' 2>/dev/null | grep -q .; then
    fail "deb-systemd-helper still remembers an infotaulu unit"
fi
for kept in /var/lib/infotaulu/infotaulu.db /var/lib/infotaulu/keys/server.key; do
    [ -e "$root$kept" ] || fail "purge removed the server's data: $kept"
done
echo "purge ok: configuration, units, cache and broker files gone; database and signing key kept"
passed=1
step "done"
