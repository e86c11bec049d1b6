#!/usr/bin/env bash
# Builds the whole tree a second time with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, and the libFuzzer targets, then runs the unit,
# fuzz and integration tests of that build. Registered with CTest by
# tests/sanitizer/CMakeLists.txt so the one test command covers it.
set -euo pipefail
src=$1
bin=$2
labels=${3:-unit|fuzz|integration}
fuzz_seconds=${TAULU_FUZZ_SECONDS:-13}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

CC=clang cmake -S "$src" -B "$bin" -DCMAKE_BUILD_TYPE=Debug \
    -DTAULU_SANITIZE=ON -DTAULU_FUZZ=ON -DTAULU_WERROR=ON \
    -DTAULU_NESTED_CHECKS=OFF -DTAULU_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build "$bin" -j"$(nproc)"
ctest --test-dir "$bin" -L "$labels" --output-on-failure --no-tests=error -j"$(nproc)"
