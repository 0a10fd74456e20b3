#!/usr/bin/env bash
# One-time, idempotent machine set-up for Rlpt.
# TorchSharp 0.107's native libLibTorchSharp.so needs GLIBCXX_3.4.32 (std::ios_base_library_init).
# Debian 12 ships libstdc++ up to 3.4.30 and TorchSharp then fails with a misleading
# "doesn't contain a reference to libtorch-cpu-linux-x64". The fix: take libstdc++6 from
# Debian 13 (trixie), pinned at priority 100 so nothing else is upgraded from it.
set -euo pipefail

need_symbol=GLIBCXX_3.4.32
quiet_if_done=false
[ "${1:-}" = "--quiet-if-done" ] && quiet_if_done=true
say() { echo "[rlpt setup] $*"; }

libstdcxx_path() {
  local p
  for p in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6; do
    [ -e "$p" ] && { echo "$p"; return; }
  done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}'
}

has_symbol() {
  local lib; lib=$(libstdcxx_path)
  [ -n "$lib" ] && grep -aq "$need_symbol" "$lib"
}

if has_symbol; then
  $quiet_if_done || say "libstdc++ already provides $need_symbol; nothing to do."
else
  if [ "$(uname -s)" != Linux ] || [ ! -f /etc/debian_version ]; then
    say "libstdc++ lacks $need_symbol and this is not Debian: install a libstdc++ from GCC 13 or newer by hand." >&2
    exit 1
  fi
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  say "libstdc++ lacks $need_symbol (TorchSharp needs it): installing libstdc++6 from Debian 13 (trixie), pinned at priority 100."
  if ! grep -rqs "trixie" /etc/apt/sources.list.d/rlpt-trixie.sources; then
    $sudo_cmd tee /etc/apt/sources.list.d/rlpt-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  $sudo_cmd tee /etc/apt/preferences.d/rlpt-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  has_symbol || { say "libstdc++6 from trixie did not provide $need_symbol." >&2; exit 1; }
  say "done: $(libstdcxx_path) now provides $need_symbol."
fi
