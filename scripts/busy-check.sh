#!/usr/bin/env bash
# Slow is not hung (issue 11): runs `npm start` as a new user would (a fresh clone of this branch, npm ci through the
# setup script) beside CPU-bound processes, as on a shared CI runner, and passes only if the run does. A correct
# kernel reported as an error here is a watchdog that mistook slowness for a hang.
#   scripts/busy-check.sh [BURNERS]   BURNERS: CPU-bound processes beside the run (default 2)
# Prints the wall time of `npm start`; exits with its status. KEEP=1 keeps the clone and its report.
set -euo pipefail
cd "$(dirname "$0")/.."

burners=${1:-2}
repo=$(pwd)
branch=$(git rev-parse --abbrev-ref HEAD)
work=$(mktemp -d "${TMPDIR:-/tmp}/kernelscope-busy-XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ "${KEEP:-}" = 1 ] && echo "busy-check: kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

git clone --quiet --branch "$branch" "$repo" "$work/kernelscope"
echo "busy-check: fresh clone of $branch at $(git -C "$work/kernelscope" rev-parse --short HEAD)" >&2

for _ in $(seq "$burners"); do
  node -e 'for (;;) {}' &
  pids+=($!)
done
echo "busy-check: $burners CPU-bound processes beside the run (load average now $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'))" >&2

start=$(date +%s)
status=0
(cd "$work/kernelscope" && npm start) || status=$?
end=$(date +%s)
echo "busy-check: npm start exited $status after $((end - start)) s beside $burners CPU-bound processes" \
  "(load average at the end $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'))" >&2
exit "$status"
