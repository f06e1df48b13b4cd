#!/usr/bin/env bash
# Decode throughput (megapixels/s) of `cxr render` vs DCMTK's dcmj2pnm (dcml2pnm for JPEG-LS) on the
# same files, in the same run: both decode frame 0, apply the same window and write an 8-bit PNG.
# Process start-up is measured apart and excluded. JPEG 2000 files are timed for cxr only (DCMTK's free
# build has no J2K codec).
#   scripts/bench-decode.sh [build-dir] [repeats]      (default: build, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
REPEATS=${2:-3}
CXR="$BUILD/bin/cxr"
DATA=${CXR_SHARED_DATA_DIR:-../shared/data}/dicom/xray
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
[ -x "$CXR" ] || { echo "bench-decode: $CXR not built (cmake --build $BUILD --target cxr)"; exit 2; }

now() { date +%s.%N; }
# Process start-up (dynamic loading) of each tool, measured once and subtracted per call so the
# "decode" columns compare decoding + windowing + PNG writing; "e2e" keeps it.
startup() { local t0 t1; t0=$(now); for _ in 1 2 3 4 5; do "$@" >/dev/null 2>&1; done; t1=$(now); echo "($t1 - $t0) / 5" | bc -l; }
S_CXR=$(startup "$CXR" --version)
S_DCMTK=$(startup dcmj2pnm --version)
printf "start-up: cxr %.3f s, dcmj2pnm %.3f s per process\n" "$S_CXR" "$S_DCMTK"
printf "%-40s %-24s %6s %10s %10s   (decode MP/s, start-up excluded)\n" file syntax MP "cxr" "dcmtk"
total_mp=0; total_cxr=0; total_dcmtk=0; total_mp_dcmtk=0
for f in "$DATA"/*.dcm; do
  info=$("$CXR" info --json "$f")
  rows=$(echo "$info" | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(r["rows"], r["columns"], r["transfer_syntax_uid"])')
  read -r r c ts <<<"$rows"
  mp=$(echo "$r * $c / 1000000" | bc -l)
  t0=$(now); for _ in $(seq "$REPEATS"); do "$CXR" render "$f" -o "$OUT/c.png" --window 2048,4096 >/dev/null; done; t1=$(now)
  cxr_rate=$(echo "$mp * $REPEATS / ($t1 - $t0 - $REPEATS * $S_CXR)" | bc -l)
  tool=dcmj2pnm
  case "$ts" in 1.2.840.10008.1.2.4.80|1.2.840.10008.1.2.4.81) tool=dcml2pnm ;; esac
  dcmtk_rate=""
  case "$ts" in
    1.2.840.10008.1.2.4.9*|1.2.840.10008.1.2.4.20*) dcmtk_rate="n/a" ;;
    *)
      t0=$(now); for _ in $(seq "$REPEATS"); do $tool +on +Ww 2048 4096 "$f" "$OUT/d.png" 2>/dev/null; done; t1=$(now)
      dcmtk_rate=$(echo "$mp * $REPEATS / ($t1 - $t0 - $REPEATS * $S_DCMTK)" | bc -l)
      total_mp_dcmtk=$(echo "$total_mp_dcmtk + $mp * $REPEATS" | bc -l)
      total_dcmtk=$(echo "$total_dcmtk + $t1 - $t0 - $REPEATS * $S_DCMTK" | bc -l)
      total_cxr_same=$(echo "${total_cxr_same:-0} + $mp * $REPEATS / $cxr_rate" | bc -l)
      dcmtk_rate=$(printf "%.1f" "$dcmtk_rate") ;;
  esac
  total_mp=$(echo "$total_mp + $mp * $REPEATS" | bc -l)
  total_cxr=$(echo "$total_cxr + $mp * $REPEATS / $cxr_rate" | bc -l)
  printf "%-40s %-24s %6.2f %10.1f %10s\n" "$(basename "$f")" "$ts" "$mp" "$cxr_rate" "$dcmtk_rate"
done
printf "all files:            cxr %.1f MP/s\n" "$(echo "$total_mp / $total_cxr" | bc -l)"
printf "DCMTK-decodable only: cxr %.1f MP/s, dcmtk %.1f MP/s\n" \
  "$(echo "$total_mp_dcmtk / $total_cxr_same" | bc -l)" "$(echo "$total_mp_dcmtk / $total_dcmtk" | bc -l)"
