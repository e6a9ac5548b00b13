#!/bin/sh
# Chromium for the HTML report's browser tests, from the system package manager, when it is missing.
# Debian and Ubuntu: apt-get (as root, or through sudo). Elsewhere: say what to install, and fail.
set -eu
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then
    exit 0
  fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no chromium found and no apt-get here; install Chromium (or Chrome) with your" \
       "system's package manager, then run the tests again" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  run=""
elif command -v sudo >/dev/null 2>&1; then
  run="sudo"
else
  echo "install-browser: chromium is missing; run 'apt-get install -y chromium' as root" >&2
  exit 1
fi
echo "install-browser: installing Debian's chromium for the browser tests" >&2
$run apt-get update -qq
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
