#!/bin/bash
# Builds and runs the libFuzzer target for the membership datagram decoder
# (tests/membership/fuzz_datagram.cc). Needs clang with libFuzzer.
#   tests/membership/run_fuzz.sh [SECONDS] [OUT_DIR]
# The corpus is kept in OUT_DIR/corpus between runs; crashes land in OUT_DIR.
set -euo pipefail
seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${2:-$src/build-fuzz}
mkdir -p "$out/corpus"
# The state machine needs ClusterConfig, whose parser needs cib/ and common/.
clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I"$src" \
  "$src/tests/membership/fuzz_datagram.cc" "$src"/membership/datagram.cc \
  "$src"/membership/heartbeat.cc "$src"/membership/authkey.cc \
  "$src"/membership/detector.cc "$src"/membership/membership.cc \
  "$src"/membership/membership_views.cc "$src"/membership/cluster_config.cc \
  "$src"/cib/*.cc "$src"/common/*.cc \
  -lcrypto -lyaml-cpp -lboost_json -lfmt -o "$out/fuzz_datagram"
cd "$out"
./fuzz_datagram -max_total_time="$seconds" -max_len=1500 corpus
