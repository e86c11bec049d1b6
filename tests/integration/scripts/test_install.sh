#!/usr/bin/env bash
# test_install.sh BUILD SOURCE PREFIX BINDIR DATADIR DOCDIR UNITDIR:
# `cmake --install` of the build into a staging directory (DESTDIR), then
# the installed programs run without the source and build trees.
#
#  1. The layout: programs in BINDIR, the web UI, fonts and themes in
#     DATADIR (<datadir>/infotaulu), the units in UNITDIR starting the
#     programs from BINDIR, the example configs in DOCDIR/examples.
#  2. No path of the source or build tree in any installed file (the
#     programs stripped of debug information first: that names the
#     sources by design and is not loaded).
#  3. In a private mount namespace (unshare -m as root, else a user
#     namespace) where the source and build trees are empty tmpfs:
#     A. the staged tree as it lies: the programs use the data beside
#        them (<bindir>/../share/infotaulu);
#     B. the programs copied elsewhere, the staged data put at the
#        compiled-in DATADIR (overlay): they use the compiled-in path;
#     C. nothing at DATADIR: the server starts, warns that the web UI is
#        missing (path and option), and / answers 404.
#     In each: the server's --check-config on the installed example
#     config, a start with demo content serving the sign-in page at /,
#     the screen-1 manifest fetched with its token, and the installed
#     player's headless shot of it (a valid 1920x1080 PNG, no font or
#     theme fallback; the installed light theme by name gives another
#     picture). Without namespaces only A runs (and C when DATADIR does
#     not exist on this machine), from a directory outside both trees.
set -euo pipefail
if [ "${1:-}" = --inner ]; then
    inner=1
    shift
else
    inner=0
fi
build=$(cd "$1" && pwd -P)
src=$(cd "$2" && pwd -P)
prefix=$3 bindir=$4 datadir=$5 docdir=$6 unitdir=$7

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# ---------------------------------------------------------------- inner
# Runs the programs. Arguments after the seven: TMP and MODE (ns|plain).
if [ "$inner" = 1 ]; then
    tmp=$8 mode=$9
    stage="$tmp/stage"
    ex="$stage$docdir/examples"
    cd "$tmp/cwd"
    if [ "$mode" = ns ]; then
        mount -t tmpfs -o ro,size=4k none "$src"
        [ "$build" = "$src" ] || case "$build/" in "$src/"*) ;; *)
            mount -t tmpfs -o ro,size=4k none "$build" ;;
        esac
        [ -z "$(ls -A "$src")" ] || fail "the source tree is still visible"
    fi
    pids=()
    trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

    # server BIN DATA CASE: check-config, start, sign-in page, manifest.
    server() {
        local bin=$1 data=$2 case=$3 d="$tmp/$3" port tok code i
        mkdir -p "$d"
        "$bin/infotaulu-server" --config "$ex/server.conf" --data-dir "$d/data" \
            --check-config >"$d/check.out" 2>&1 ||
            fail "$case: --check-config of the example: $(cat "$d/check.out")"
        grep -qx "web_root = $data/web" "$d/check.out" ||
            fail "$case: web_root is not $data/web: $(grep web_root "$d/check.out")"
        grep -qx "font_dir = $data/fonts" "$d/check.out" ||
            fail "$case: font_dir is not $data/fonts"
        "$bin/infotaulu-server" --config "$ex/server.conf" --data-dir "$d/data" \
            --demo --port 0 --port-file "$d/port" --player-config-out "$d/p" \
            --log-level info >"$d/server.log" 2>&1 &
        pids+=($!)
        for i in $(seq 100); do
            [ -s "$d/port" ] && [ -s "$d/p/screen-1.conf" ] && break
            sleep 0.1
        done
        [ -s "$d/port" ] || fail "$case: no start: $(tail -5 "$d/server.log")"
        port=$(cat "$d/port")
        code=$(curl -s -o "$d/index.html" -w '%{http_code}' "http://127.0.0.1:$port/")
        if [ "$case" = C ]; then
            [ "$code" = 404 ] || fail "C: GET / answered $code without a web UI"
            grep -q "warning main: no web UI: $data/web is missing.*--web-root DIR" \
                "$d/server.log" || fail "C: no warning: $(cat "$d/server.log")"
            code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
            [ "$code" = 200 ] || fail "C: /healthz answered $code"
        else
            [ "$code" = 200 ] || fail "$case: GET / answered $code"
            grep -q '<title data-i18n="title.signin">Infotaulu</title>' \
                "$d/index.html" || fail "$case: / is not the sign-in page"
            grep -q "info main: web UI from $data/web\$" "$d/server.log" ||
                fail "$case: web UI not from $data/web"
            grep -q "info main: fonts from $data/fonts\$" "$d/server.log" ||
                fail "$case: fonts not from $data/fonts"
        fi
        tok=$(sed -n 's/^screen_token = //p' "$d/p/screen-1.conf")
        code=$(curl -s -o "$d/m.signed" -w '%{http_code}' \
            -H "Authorization: Bearer $tok" \
            "http://127.0.0.1:$port/api/v1/screens/screen-1/manifest")
        [ "$code" = 200 ] || fail "$case: manifest answered $code"
        kill "${pids[-1]}"
        wait "${pids[-1]}" || fail "$case: the server did not stop cleanly"
        unset 'pids[-1]'
    }

    # player BIN DATA CASE: check-config, a shot, a shot in the light theme.
    player() {
        local bin=$1 data=$2 case=$3 d="$tmp/$3" t
        "$bin/infotaulu-player" --config "$ex/player.conf" --check-config \
            >"$d/pcheck.out" 2>&1 || fail "$case: player --check-config"
        grep -qx "font_dir = $data/fonts" "$d/pcheck.out" ||
            fail "$case: player font_dir is not $data/fonts"
        for t in default light; do
            "$bin/infotaulu-player" --config "$ex/player.conf" --headless \
                --manifest "$d/m.signed" --out "$d/shot-$t.png" \
                --server_pk_file="$d/p/server.pub" --closed_behaviour=ignore \
                $([ $t = light ] && echo --theme_file=light) \
                >"$d/player-$t.log" 2>&1 ||
                fail "$case: player shot ($t): $(tail -5 "$d/player-$t.log")"
            python3 "$tmp/pngcheck.py" "$d/shot-$t.png" 1920 1080 ||
                fail "$case: shot ($t)"
            if grep -E 'fonts in|TTF_OpenFont|theme not used' "$d/player-$t.log"; then
                fail "$case: the player fell back ($t)"
            fi
        done
        cmp -s "$d/shot-default.png" "$d/shot-light.png" &&
            fail "$case: the light theme changed nothing"
        return 0
    }

    # A: the staged tree as it lies.
    server "$stage$bindir" "$stage$datadir" A
    player "$stage$bindir" "$stage$datadir" A
    echo "A: the staged programs use the staged data beside them"

    parent=$(dirname "$datadir")
    if [ "$mode" = ns ] && [ -d "$parent" ]; then
        # B: the programs elsewhere, the data at the compiled-in path.
        mkdir -p "$tmp/elsewhere/bin" "$tmp/ovl-b" "$tmp/ovl-c" "$tmp/noweb"
        cp "$stage$bindir"/infotaulu-* "$tmp/elsewhere/bin/"
        ln -s "$stage$datadir" "$tmp/ovl-b/$(basename "$datadir")"
        mount -t overlay overlay -o "lowerdir=$tmp/ovl-b:$parent" "$parent"
        server "$tmp/elsewhere/bin" "$datadir" B
        player "$tmp/elsewhere/bin" "$datadir" B
        umount "$parent"
        echo "B: programs elsewhere use the compiled-in $datadir"
        # C: fonts and themes there, no web UI.
        ln -s "$stage$datadir/fonts" "$tmp/noweb/fonts"
        ln -s "$stage$datadir/themes" "$tmp/noweb/themes"
        ln -s "$tmp/noweb" "$tmp/ovl-c/$(basename "$datadir")"
        mount -t overlay overlay -o "lowerdir=$tmp/ovl-c:$parent" "$parent"
        server "$tmp/elsewhere/bin" "$datadir" C
        umount "$parent"
        echo "C: without a web UI the server warns and / is 404"
    else
        echo "note: no mount namespace (or no $parent): B skipped"
        if [ ! -e "$datadir" ]; then
            # C with the staged tree's web UI moved away (nothing at the
            # compiled-in path on this machine to fall back to).
            mv "$stage$datadir/web" "$stage$datadir/web.off"
            mkdir -p "$tmp/C"
            d="$tmp/C"
            "$stage$bindir/infotaulu-server" --config "$ex/server.conf" \
                --data-dir "$d/data" --port 0 --port-file "$d/port" \
                --font-dir "$stage$datadir/fonts" >"$d/server.log" 2>&1 &
            pids+=($!)
            for _ in $(seq 100); do [ -s "$d/port" ] && break; sleep 0.1; done
            code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(cat "$d/port")/")
            [ "$code" = 404 ] || fail "C: GET / answered $code"
            grep -q "no web UI: $datadir/web is missing.*--web-root DIR" \
                "$d/server.log" || fail "C: no warning"
            mv "$stage$datadir/web.off" "$stage$datadir/web"
            echo "C: without a web UI the server warns and / is 404"
        else
            echo "note: $datadir exists on this machine: C skipped"
        fi
    fi
    exit 0
fi

# ---------------------------------------------------------------- outer
tmp=$(mktemp -d "${TMPDIR:-/tmp}/taulu-install-XXXXXX")
tmp=$(cd "$tmp" && pwd -P)
trap 'rm -rf "$tmp"' EXIT
case "$tmp/" in "$src/"* | "$build/"*) fail "$tmp is inside a tree" ;; esac
stage="$tmp/stage"
mkdir -p "$tmp/cwd"
t0=$(date +%s)

DESTDIR="$stage" cmake --install "$build" >"$tmp/install.log" 2>&1 ||
    fail "cmake --install: $(tail -5 "$tmp/install.log")"

# 1. The layout.
for f in "$bindir/infotaulu-server" "$bindir/infotaulu-player" \
    "$datadir/web/index.html" "$datadir/web/js/page-signin.js" \
    "$datadir/web/css/app.css" "$datadir/web/i18n/sv.js" \
    "$datadir/fonts/AtkinsonHyperlegible-Regular.ttf" \
    "$datadir/fonts/DejaVuSans-Bold.ttf" \
    "$datadir/fonts/OFL-AtkinsonHyperlegible.txt" \
    "$datadir/themes/light.theme" "$datadir/themes/default-dark.theme" \
    "$docdir/README.md" "$docdir/LICENSE" "$docdir/server.md" \
    "$docdir/examples/server.conf" "$docdir/examples/player.conf" \
    "$docdir/examples/mosquitto.conf" "$docdir/examples/infotaulu.acl.example" \
    "$docdir/examples/mosquitto-infotaulu.conf"; do
    [ -s "$stage$f" ] || fail "not installed: $f"
done
[ -x "$stage$bindir/infotaulu-server" ] || fail "the server is not executable"
if [ -n "$unitdir" ]; then
    for u in server player; do
        f="$stage$unitdir/infotaulu-$u.service"
        [ -s "$f" ] || fail "not installed: $unitdir/infotaulu-$u.service"
        grep -qx "ExecStart=$bindir/infotaulu-$u --config /etc/infotaulu/$u.conf" \
            "$f" || fail "$f: ExecStart is not $bindir/infotaulu-$u"
        if grep -nE '@[A-Za-z_]+@' "$f"; then fail "$f: unreplaced @VAR@"; fi
    done
fi

# 2. No path of either tree in any installed file.
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    g="$f"
    if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then
        strip -o "$tmp/stripped" "$f"
        g="$tmp/stripped"
    fi
    for p in "$src" "$build"; do
        if grep -qF "$p" "$g"; then
            fail "${f#"$stage"} names $p"
        fi
    done
done < <(find "$stage" -type f -print0)
echo "layout ok; $n files, none names $src or $build"

# 3. Run them without the trees.
cp "$0" "$tmp/test_install.sh"
cp "$(dirname "$0")/pngcheck.py" "$tmp/pngcheck.py"
args=("$build" "$src" "$prefix" "$bindir" "$datadir" "$docdir" "$unitdir")
if unshare -m --propagation private true 2>/dev/null; then
    ns=(unshare -m --propagation private)
elif unshare -r -m --propagation private true 2>/dev/null; then
    ns=(unshare -r -m --propagation private)
else
    ns=()
fi
if [ ${#ns[@]} -gt 0 ]; then
    "${ns[@]}" bash "$tmp/test_install.sh" --inner "${args[@]}" "$tmp" ns
else
    echo "note: no mount namespace here: the trees stay visible; run from $tmp/cwd"
    bash "$tmp/test_install.sh" --inner "${args[@]}" "$tmp" plain
fi
echo "ok: install checked in $(($(date +%s) - t0)) s"
