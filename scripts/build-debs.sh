#!/usr/bin/env bash
# scripts/build-debs.sh [OUTDIR]: the Debian 12 packages of this tree, in
# one command, into OUTDIR (default build/deb, never committed):
#
#   infotaulu-common_V_all.deb   infotaulu-server_V_ARCH.deb
#   infotaulu-player_V_ARCH.deb  infotaulu-broker_V_all.deb
#
# V is the CMake project version (project() in CMakeLists.txt), with
# DEB_VERSION_SUFFIX appended when set (e.g. "+git20261201"). The tree is
# configured for /usr in OUTDIR/cmake with Debian's hardening flags
# (dpkg-buildflags), the two programs built, `cmake --install`ed into a
# staging folder and shared out between the packages as
# packaging/debian/*/ say; the programs' library dependencies come from
# dpkg-shlibdeps. Only dpkg-dev's tools (and fakeroot-free dpkg-deb
# --root-owner-group) are used. docs/deployment.md has the rest.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
pk="$src/packaging/debian"
arch=$(dpkg --print-architecture)
jobs=$(nproc 2>/dev/null || echo 2)

for tool in cmake dpkg-deb dpkg-shlibdeps dpkg-buildflags strip; do
    command -v "$tool" >/dev/null ||
        { echo "build-debs: $tool is missing (scripts/deps.sh)" >&2; exit 1; }
done

# ---- configure and build, as a package build does
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
cmake -S "$src" -B "$out/cmake" -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAULU_WERROR=OFF \
    -DTAULU_NESTED_CHECKS=OFF >"$out/cmake.log" 2>&1 ||
    { tail -20 "$out/cmake.log" >&2; exit 1; }
cmake --build "$out/cmake" -j"$jobs" --target infotaulu-server \
    infotaulu-player server_example_config player_example_config \
    >>"$out/cmake.log" 2>&1 || { tail -30 "$out/cmake.log" >&2; exit 1; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$out/cmake/CMakeCache.txt")
[ -n "$version" ] || { echo "build-debs: no project version" >&2; exit 1; }
version="$version${DEB_VERSION_SUFFIX:-}"
unitdir=$(sed -n 's/^TAULU_UNITDIR:[A-Z]*=//p' "$out/cmake/CMakeCache.txt")
stage="$out/stage"
rm -rf "$stage" "$out/pkg" "$out"/*.deb
DESTDIR="$stage" cmake --install "$out/cmake" >>"$out/cmake.log" 2>&1
# the units' directory as the install made it (/lib/systemd/system on 12)
unitdir=$(cd "$stage" && find . -name infotaulu-server.service -printf '%h\n' |
    sed 's|^\.||')
[ -n "$unitdir" ] || { echo "build-debs: no units installed" >&2; exit 1; }

# ---- share the staged files out
# put PKG PATH...: moves staged paths (files or folders) into a package.
put() {
    local pkg=$1 p
    shift
    for p in "$@"; do
        [ -e "$stage$p" ] || { echo "build-debs: $p not installed" >&2; exit 1; }
        mkdir -p "$out/pkg/$pkg$(dirname "$p")"
        mv "$stage$p" "$out/pkg/$pkg$p"
    done
}
# add PKG FILE DEST MODE: a file of packaging/debian into a package.
add() {
    install -D -m "$4" "$2" "$out/pkg/$1$3"
}

put infotaulu-common /usr/share/infotaulu/fonts /usr/share/infotaulu/themes \
    /usr/share/doc/infotaulu
add infotaulu-common "$pk/infotaulu-common/sysusers.conf" \
    /usr/lib/sysusers.d/infotaulu.conf 0644
add infotaulu-common "$pk/infotaulu-common/tmpfiles.conf" \
    /usr/lib/tmpfiles.d/infotaulu.conf 0644

put infotaulu-server /usr/bin/infotaulu-server /usr/share/infotaulu/web \
    "$unitdir/infotaulu-server.service"
add infotaulu-server "$pk/infotaulu-server/server.conf" \
    /etc/infotaulu/server.conf 0644

put infotaulu-player /usr/bin/infotaulu-player \
    "$unitdir/infotaulu-player.service"
add infotaulu-player "$pk/infotaulu-player/player.conf" \
    /etc/infotaulu/player.conf 0644
add infotaulu-player "$pk/infotaulu-player/sysusers.conf" \
    /usr/lib/sysusers.d/infotaulu-player.conf 0644

put infotaulu-broker "$unitdir/infotaulu-broker-reload.path" \
    "$unitdir/infotaulu-broker-reload.service"
add infotaulu-broker "$pk/infotaulu-broker/infotaulu.conf" \
    /etc/mosquitto/conf.d/infotaulu.conf 0644
add infotaulu-broker "$pk/infotaulu-broker/tmpfiles.conf" \
    /usr/lib/tmpfiles.d/infotaulu-broker.conf 0644

left=$(cd "$stage" && find . -type f | sed 's|^\.||')
if [ -n "$left" ]; then
    echo "build-debs: installed but in no package:" >&2
    echo "$left" >&2
    exit 1
fi

# ---- the programs: stripped (Debian ships no debug information in the
# package itself) and their libraries from dpkg-shlibdeps
for b in infotaulu-server infotaulu-player; do
    f="$out/pkg/$b/usr/bin/$b"
    strip --remove-section=.comment --remove-section=.note --strip-unneeded "$f"
done
shl="$out/shlibs"
rm -rf "$shl"
mkdir -p "$shl/debian"
printf 'Source: infotaulu\n\nPackage: infotaulu-server\nArchitecture: any\n\nPackage: infotaulu-player\nArchitecture: any\n' \
    >"$shl/debian/control"
shlibs() {
    (cd "$shl" && dpkg-shlibdeps -O -e"$1" 2>>"$out/shlibdeps.log") |
        sed -n 's/^shlibs:Depends=//p'
}

# ---- control files, maintainer scripts, md5sums, the .debs
for pkg in infotaulu-common infotaulu-server infotaulu-player infotaulu-broker; do
    root="$out/pkg/$pkg"
    mkdir -p "$root/DEBIAN" "$root/usr/share/doc/$pkg"
    install -m 0644 "$pk/copyright" "$root/usr/share/doc/$pkg/copyright"
    dep=""
    if [ -e "$root/usr/bin/$pkg" ]; then
        dep=$(shlibs "$root/usr/bin/$pkg")
        [ -n "$dep" ] || { echo "build-debs: dpkg-shlibdeps said nothing for $pkg" >&2; exit 1; }
    fi
    for s in preinst postinst prerm postrm; do
        if [ -e "$pk/$pkg/$s" ]; then
            install -m 0755 "$pk/$pkg/$s" "$root/DEBIAN/$s"
        fi
    done
    # every file under /etc is a conffile
    if [ -d "$root/etc" ]; then
        (cd "$root" && find etc -type f | sort | sed 's|^|/|') >"$root/DEBIAN/conffiles"
    fi
    find "$root" -path "$root/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
    find "$root" -path "$root/DEBIAN" -prune -o -type f ! -perm -u+x -exec chmod 0644 {} +
    (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
        sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
    size=$(du -k -s --apparent-size --exclude=DEBIAN "$root" | cut -f1)
    sed -e "s/@VERSION@/$version/g" -e "s/@ARCH@/$arch/g" \
        -e "s/@SIZE@/$size/g" -e "s/@SHLIBS@/$dep/g" \
        "$pk/$pkg/control" >"$root/DEBIAN/control"
    a=$(sed -n 's/^Architecture: //p' "$root/DEBIAN/control")
    dpkg-deb --root-owner-group -Zxz --build "$root" \
        "$out/${pkg}_${version}_$a.deb" >/dev/null
    echo "$out/${pkg}_${version}_$a.deb"
done
