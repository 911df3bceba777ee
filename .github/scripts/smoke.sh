#!/usr/bin/env bash
# Smoke-tests one release binary on its own runner, from an empty directory (no
# node_modules anywhere near): --version, then start a node, submit a transaction, read it
# back, stop. Usage: smoke.sh <binary>
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
chmod +x "$bin" 2>/dev/null || true
work="$(mktemp -d)"
cd "$work"

"$bin" --version
port=$((20000 + RANDOM % 20000))
g=(--data-dir "$work/data" --api-port "$port")
"$bin" "${g[@]}" start >"$work/node.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; cat "$work/node.log"' EXIT

for _ in $(seq 1 150); do
  if "$bin" "${g[@]}" status >/dev/null 2>&1; then break; fi
  sleep 0.2
done
"$bin" "${g[@]}" status
"$bin" "${g[@]}" tx submit --put greeting=hello --wait
value="$("$bin" "${g[@]}" state get greeting)"
[ "$value" = hello ] || { echo "smoke: expected hello, got '$value'" >&2; exit 1; }
kill "$pid"
wait "$pid" || true
echo "smoke: $(basename "$bin") ok"
