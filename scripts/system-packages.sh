#!/usr/bin/env bash
# Debian/Ubuntu packages zhifa needs outside its .venv, installed only when missing (apt-get, as
# root or through sudo). One argument names what for:
#   venv  creating .venv: the interpreter's venv module (python3.11-venv) when ensurepip is absent
#   run   the running application (`make run`): fonts-arphic-uming, the AR PL UMing Ming face that
#         generated PDF documents (执法文书) embed a subset of (docs/decisions.md)
#   test  `make test`, everything `run` needs plus what the suite drives for real: postgresql (a
#         server per run), chromium (the browser tests), fonts-noto-cjk (pages render Chinese)
set -euo pipefail
what=${1:-test}
python=${PYTHON:-python3}
need=()
case $what in
  venv)
    if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
      ver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
      need+=("python$ver-venv")
    fi
    ;;
  run | test)
    [[ -f /usr/share/fonts/truetype/arphic/uming.ttc ]] || need+=(fonts-arphic-uming)
    if [[ $what == test ]]; then
      command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null ||
        need+=(postgresql)
      command -v chromium >/dev/null 2>&1 || need+=(chromium)
      fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
    fi
    ;;
  *)
    echo "usage: $0 venv|run|test" >&2
    exit 2
    ;;
esac
((${#need[@]})) || exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "需要安装 Debian 软件包：${need[*]}。请以 root 身份运行：apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "需要安装软件包：${need[*]}（本机没有 apt-get，请用本系统的包管理器安装；字体也可用 ZHIFA_DOCUMENT_FONT 指定）" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
