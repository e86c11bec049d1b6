#!/bin/sh
# make_tzif_corpus.sh: writes the seed corpus of fuzz_tzif into
# tests/fuzz/corpus/tzif/ from the system's tzdata ($TZDIR, or
# /usr/share/zoneinfo; Debian's tzdata package, which is public domain).
#
# Seeds: three real files (version 2 with a footer rule, version 3 with a
# negative rule time, the minimal UTC), a version 1 file cut from the first
# block of Helsinki's, the same file truncated in the header, the data and
# the footer, with a bad magic and an unknown version, and bare TZ strings
# for the rule parser. Run it again after a tzdata upgrade if you like; the
# fuzzer only needs the shapes, not the latest data.
set -eu

zi=${TZDIR:-/usr/share/zoneinfo}
out=$(dirname "$0")/corpus/tzif
mkdir -p "$out"

cp "$zi/Europe/Helsinki" "$out/helsinki-v2"
cp "$zi/America/Nuuk" "$out/nuuk-v3"
cp "$zi/Etc/UTC" "$out/utc-v2"

hel="$out/helsinki-v2"
size=$(wc -c <"$hel")

# The six big-endian counts of the first header: isut isstd leap time type
# char.
# shellcheck disable=SC2046 # the 24 numbers are meant to be split
set -- $(od -An -tu1 -j20 -N24 -v "$hel")
count() {
    echo $(($1 * 16777216 + $2 * 65536 + $3 * 256 + $4))
}
isut=$(count "$1" "$2" "$3" "$4")
isstd=$(count "$5" "$6" "$7" "$8")
leap=$(count "$9" "${10}" "${11}" "${12}")
timecnt=$(count "${13}" "${14}" "${15}" "${16}")
typecnt=$(count "${17}" "${18}" "${19}" "${20}")
charcnt=$(count "${21}" "${22}" "${23}" "${24}")
v1len=$((44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut))

# Version 1: the first header and block, version byte 0.
head -c "$v1len" "$hel" >"$out/helsinki-v1"
printf '\000' | dd of="$out/helsinki-v1" bs=1 seek=4 conv=notrunc 2>/dev/null

head -c 44 "$hel" >"$out/truncated-header"
head -c $((v1len + 100)) "$hel" >"$out/truncated-data"
head -c $((size - 1)) "$hel" >"$out/truncated-footer"

cp "$hel" "$out/bad-magic"
printf 'TZiF' | dd of="$out/bad-magic" bs=1 seek=0 conv=notrunc 2>/dev/null
cp "$hel" "$out/bad-version"
printf '5' | dd of="$out/bad-version" bs=1 seek=4 conv=notrunc 2>/dev/null

printf 'EET-2EEST,M3.5.0/3,M10.5.0/4' >"$out/rule-eu"
printf '<+1030>-10:30<+11>-11,M10.1.0,M4.1.0' >"$out/rule-lord-howe"
printf 'IST-2IDT,M3.4.4/26,M10.5.0' >"$out/rule-v3-26h"
printf 'EST5EDT,0/0,J365/25' >"$out/rule-all-year"
printf 'XXX3YYY,J60/-167,59/167:59:59' >"$out/rule-julian"
