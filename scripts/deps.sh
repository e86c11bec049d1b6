#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/debian-packages.txt that are
# not installed yet. Needs root or sudo; does nothing when all are present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list="$here/debian-packages.txt"
[ "${1:-}" = "--with-browser" ] && extra="$here/debian-packages-browser.txt" || extra=""

wanted=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list" ${extra:+"$extra"})
if [ -n "$extra" ] && ! command -v npm >/dev/null 2>&1; then
    wanted="$wanted nodejs npm"
fi
missing=""
for p in $wanted; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "deps: need root or sudo to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
# Debian starts the services of some packages at install (nginx on port 80,
# mosquitto on 1883, PostgreSQL's "main" cluster on 5432). The tests and
# scripts/run.sh start their own on free loopback ports; a system service
# that this script brought in would only hold ports on a developer's
# machine, so it is stopped and not enabled. (A service that was there
# before is left as it was.) Pairs: package:service.
if [ -d /run/systemd/system ]; then
    for pair in nginx:nginx mosquitto:mosquitto postgresql-15:postgresql; do
        pkg=${pair%%:*}
        svc=${pair#*:}
        case " $missing " in
        *" $pkg "*) $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || true ;;
        esac
    done
fi
