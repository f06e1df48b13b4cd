#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: set-up (deps + build), then CTest.
# Labels: unit, integration, parity, gpu (skip without a device), slow.
#   scripts/run-tests.sh            # everything
#   scripts/run-tests.sh -L unit    # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${CXR_BUILD_DIR:-build}
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)" "$@"
