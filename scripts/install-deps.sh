#!/usr/bin/env bash
# Installs the Debian packages sparkiot builds and tests with.
# Idempotent: does nothing (and prints nothing) when every package is present.
# Needs root; a non-root user gets the same script through sudo.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libsimgrid-dev libgsl-dev libhdf5-dev libyaml-dev
  librdkafka-dev kcat libmosquitto-dev mosquitto mosquitto-clients
  libcmocka-dev gnuplot-nox libgmp-dev libopenblas-dev libjansson-dev
  python3-h5py libgoogle-perftools-dev
  libmicrohttpd-dev libjs-dygraphs chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
