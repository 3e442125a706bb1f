#!/usr/bin/env bash
# The learning allocators from the command line: `train` refuses bad usage
# with exit 2 and writes a checkpoint and its curve on good input; `run` and
# `validate` refuse a missing, corrupt or mismatched checkpoint with exit 2
# and a message naming the file, and run a good one.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0

. "$(dirname "$0")/../support/cli_expect.sh"

cat >"$tmp/tiny.yaml" <<'Y'
name: tiny
duration: 2m
drain: 15s
topology: {sites: 2}
workload: {preset: smart_city, devices_per_site: 20}
allocator: {name: static, interval: 15s, min_executors: 1, max_executors: 4, initial_executors: 1}
Y

expect 2 "usage" -- train "$tmp/tiny.yaml"
expect 2 "--policy must be dqn or ppo, got 'a2c'" -- train "$tmp/tiny.yaml" --policy a2c
expect 2 "--episodes expects 1..1000000, got '0'" -- train "$tmp/tiny.yaml" --policy dqn --episodes 0
expect 2 "unknown option '--bogus'" -- train "$tmp/tiny.yaml" --policy dqn --bogus
expect 2 "--set allocator.reward_sol: .*did you mean 'reward_slo'" -- train "$tmp/tiny.yaml" --policy ppo \
    --set allocator.reward_sol=3 --out "$tmp/x.h5"
expect 0 "wrote $tmp/dqn.h5 and $tmp/dqn.curve.h5" -- train "$tmp/tiny.yaml" --policy dqn --episodes 2 \
    --out "$tmp/dqn.h5"
for f in dqn.h5 dqn.curve.h5; do
    if [ -s "$tmp/$f" ]; then pass=$((pass + 1)); else echo "FAIL: $f not written"; fail=$((fail + 1)); fi
done

printf 'garbage' >"$tmp/garbage.h5"
head -c 3000 "$tmp/dqn.h5" >"$tmp/cut.h5"
expect 2 "allocator dqn: $tmp/missing.h5: cannot open" -- validate "$tmp/tiny.yaml" \
    --set allocator.name=dqn --set allocator.checkpoint="$tmp/missing.h5"
expect 2 "allocator dqn: $tmp/garbage.h5: not an HDF5 file" -- run "$tmp/tiny.yaml" \
    --set allocator.name=dqn --set allocator.checkpoint="$tmp/garbage.h5" --out "$tmp/r"
expect 2 "allocator dqn: $tmp/cut.h5: .*truncated" -- run "$tmp/tiny.yaml" \
    --set allocator.name=dqn --set allocator.checkpoint="$tmp/cut.h5" --out "$tmp/r"
expect 2 "allocator ppo: checkpoint '$tmp/dqn.h5': not a ppo checkpoint" -- run "$tmp/tiny.yaml" \
    --set allocator.name=ppo --set allocator.checkpoint="$tmp/dqn.h5" --out "$tmp/r"
expect 2 "allocator dqn: no checkpoint" -- validate "$tmp/tiny.yaml" --set allocator.name=dqn
if [ -e "$tmp/r" ]; then echo "FAIL: a result was written for a refused checkpoint"; fail=$((fail + 1)); else pass=$((pass + 1)); fi

expect 0 "\| default \| 1 \|" -- run "$tmp/tiny.yaml" --set allocator.name=dqn \
    --set allocator.checkpoint="$tmp/dqn.h5" --out "$tmp/ok"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
