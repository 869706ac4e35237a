#!/usr/bin/env bash
# Debian packages the test suite drives for real: PostgreSQL (a server per run), Chromium (the
# browser tests) and CJK fonts (pages render Chinese; generated PDF documents embed a subset of
# AR PL UMing, a TrueType Ming face, see docs/decisions.md). Installs only what is missing.
set -euo pipefail
need=()
command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[[ -f /usr/share/fonts/truetype/arphic/uming.ttc ]] || need+=(fonts-arphic-uming)
((${#need[@]})) || exit 0
echo "installing Debian packages: ${need[*]}"
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
