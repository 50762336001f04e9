#!/usr/bin/env bash
# Fuzzes the HTTP/1.1 parsers with libFuzzer for a bounded time (default 60 s) and exits non-zero on a
# crash, a sanitizer report or a broken invariant. Usage: fuzz/run.sh [seconds]
# The target is compiled from the parser's own files only (Sources/RemoteFunctionsHTTP/Parser) plus
# fuzz/ParserFuzzer.swift. The checked-in seed corpus is copied, so new inputs stay in fuzz/build/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
build=build
rm -rf "$build/artifacts"
mkdir -p "$build/artifacts"

echo "compiling the fuzzer (swiftc -sanitize=fuzzer,address -O)"
# The linker warns "Cannot export local symbol" for libFuzzer's symbols; that is harmless.
swiftc -sanitize=fuzzer,address -parse-as-library -O -wmo -module-name ParserFuzz \
    ../Sources/RemoteFunctionsHTTP/Parser/*.swift \
    ../Sources/RemoteFunctionsHTTP/Parser/Internal/*.swift \
    ParserFuzzer.swift \
    -o "$build/parser-fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)

rm -rf "$build/corpus"
cp -R corpus "$build/corpus"
echo "fuzzing for ${seconds} s on $(ls corpus | wc -l) seeds"
status=0
# The Swift backtracer would wait on a crashed child; libFuzzer and ASan report crashes themselves.
SWIFT_BACKTRACE=enable=no "$build/parser-fuzzer" \
    -max_total_time="$seconds" \
    -max_len=8192 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    -dict=http.dict \
    -artifact_prefix="$build/artifacts/" \
    "$build/corpus" || status=$?
if [ "$status" -ne 0 ]; then
    echo "fuzzing FAILED (exit $status); reproducer(s) in fuzz/$build/artifacts/:" >&2
    ls -l "$build/artifacts" >&2 || true
    exit "$status"
fi
echo "fuzzing passed: no crash in ${seconds} s"
