#!/bin/sh
# Builds the addon with AddressSanitizer into a separate directory and runs the global-lock
# tests (threads, threads-stress) against it. Run after `npm run build` (it needs dist/).
#   scripts/asan-stress.sh            (VMHOST_STRESS_ITERS defaults to 2000 here)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${VMHOST_ASAN_DIR:-/tmp/vmhost-asan}
rm -rf "$out"
mkdir -p "$out"
cp -r "$root/binding.gyp" "$root/native" "$root/include" "$out/"
ln -s "$root/node_modules" "$out/node_modules"
cd "$out"
# node-gyp as npm runs it (npm bundles one), unless NODE_GYP names another.
gyp=${NODE_GYP:-$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js}
CXXFLAGS="-fsanitize=address -fno-omit-frame-pointer -g" LDFLAGS="-fsanitize=address" \
  node "$gyp" configure build --nodedir="${NODEDIR:-$(npm config get nodedir 2>/dev/null || echo /usr)}" >"$out/build.log" 2>&1 || {
  tail -30 "$out/build.log"
  exit 1
}
cd "$root"
asan=$(gcc -print-file-name=libasan.so)
VMHOST_ADDON="$out/build/Release/vmhost.node" VMHOST_STRESS_ITERS=${VMHOST_STRESS_ITERS:-2000} \
  LD_PRELOAD="$asan" ASAN_OPTIONS=detect_leaks=0 \
  node --test --test-concurrency=1 dist/test/threads.test.js dist/test/threads-stress.test.js
