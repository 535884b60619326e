#!/usr/bin/env bash
# Installs what kernelscope needs, and only what is missing: npm packages, and on Debian/Ubuntu as root the system
# packages that give this machine WebGPU without a GPU (SwiftShader's Vulkan driver ships in Debian's chromium).
# Elsewhere it says what to install. Safe to run again: a second run does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none)); install it from https://nodejs.org"
  exit 2
fi

# npm packages: reinstall when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# System packages: browsers for the chromium/firefox engines, SwiftShader (inside chromium) and Mesa's lavapipe for
# Dawn and Deno when there is no GPU. Each is checked by the file the engines use.
SYSTEM_PACKAGES=(chromium chromium-driver firefox-esr libvulkan1 mesa-vulkan-drivers)
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
[ -f /usr/lib/chromium/vk_swiftshader_icd.json ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
ls /usr/lib/x86_64-linux-gnu/libvulkan.so.1 /usr/lib/*/libvulkan.so.1 >/dev/null 2>&1 || missing+=(libvulkan1)
ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 || missing+=(mesa-vulkan-drivers)
if [ ${#missing[@]} -gt 0 ]; then
  if [ -r /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing system packages: ${SYSTEM_PACKAGES[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${SYSTEM_PACKAGES[@]}" >/dev/null
  elif [ -r /etc/debian_version ]; then
    say "missing system packages; run: sudo apt-get install -y ${SYSTEM_PACKAGES[*]}"
    say "(without them: Dawn needs a real GPU, and the chromium/firefox engines report 'unavailable')"
  else
    say "not Debian/Ubuntu: the Dawn engine uses your GPU's driver (Vulkan, Metal or D3D12)."
    say "For the browser engines install Chromium and Firefox and point KERNELSCOPE_CHROMIUM / KERNELSCOPE_FIREFOX at them;"
    say "with no GPU, set KERNELSCOPE_VK_ICD to a SwiftShader vk_swiftshader_icd.json."
  fi
fi
