#!/usr/bin/env bash
# One-step set-up on a fresh Debian 12 machine (as root): installs every Debian dependency
# (non-interactive, idempotent: packages already present are not reinstalled), then configures
# and builds into build/. Binaries end up in build/bin/.
#   CXR_WITH_STUDIO=OFF scripts/setup.sh   # headless server build (no Qt)
#   CXR_BUILD_DIR=build-x scripts/setup.sh # another build folder
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config ccache git
  libdcmtk-dev dcmtk libopenjp2-7-dev
  libopencv-dev
  libsentencepiece-dev
  libopenblas-dev libdnnl-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev
  libsqlite3-dev libssl-dev libwrap0-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  qt6-translations-l10n
  xvfb xauth fonts-noto-cjk
  orthanc orthanc-dicomweb dicom3tools curl
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian's orthanc package starts a system service on install; our tests start their own.
if command -v systemctl >/dev/null 2>&1; then systemctl stop orthanc 2>/dev/null || true; fi
service orthanc stop >/dev/null 2>&1 || true

BUILD_DIR=${CXR_BUILD_DIR:-build}
JOBS=${CXR_JOBS:-$(nproc)}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCXR_WITH_STUDIO="${CXR_WITH_STUDIO:-ON}" ${CXR_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "$JOBS"
