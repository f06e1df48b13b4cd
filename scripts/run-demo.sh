#!/usr/bin/env bash
# The main job on the embedded default model, from a fresh Debian 12 machine:
# set-up, then read the bundled real sample study and print what the assistant suggests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BIN=${CXR_BUILD_DIR:-build}/bin
SAMPLE=resources/samples/rsna_cr_jpeg_baseline.dcm
OUT=${CXR_DEMO_OUT:-build/demo}
mkdir -p "$OUT"
set -x
"$BIN/cxr" info "$SAMPLE"
"$BIN/cxr" render "$SAMPLE" -o "$OUT/sample.png"
if "$BIN/cxr" analyze --help >/dev/null 2>&1; then
  "$BIN/cxr" analyze "$SAMPLE" --notes "Fever and productive cough for three days; crackles at the right base. Clinical impression: community-acquired pneumonia." --format text
fi
