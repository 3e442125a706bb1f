#!/usr/bin/env bash
# The CLI's contract on bad input: exit 2, a file:line:column message naming
# the field, and no result file left behind; exit 0 and a result on good input.
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0

. "$(dirname "$0")/../support/cli_expect.sh"

cat >"$tmp/typo.yaml" <<'Y'
name: typo
duration: 1m
bus:
  partitons: 4
Y
cat >"$tmp/type.yaml" <<'Y'
name: type
duration: 1m
topology:
  wan: {bandwidth: 100Mbps, latency: fast}
Y
cat >"$tmp/range.yaml" <<'Y'
name: range
duration: 1m
seeds: 0
Y
printf 'name: [unclosed\n' >"$tmp/syntax.yaml"

expect 2 "typo.yaml:4:3: .*partitons.*did you mean 'partitions'" -- validate "$tmp/typo.yaml"
expect 2 "type.yaml:4:.*latency.*duration" -- validate "$tmp/type.yaml"
expect 2 "range.yaml:3:.*seeds" -- validate "$tmp/range.yaml"
expect 2 "syntax.yaml:[0-9]+:[0-9]+" -- validate "$tmp/syntax.yaml"
expect 2 "missing.yaml.*(No such file|cannot open)" -- run "$tmp/missing.yaml" --out "$tmp/r"
expect 2 "sparkiot inspect: --seed is not an option of this command" -- inspect --seed 3 "$tmp/r.h5"
expect 2 "sparkiot validate: --dashboard is not an option of this command" -- validate "$tmp/typo.yaml" --dashboard
expect 2 "typo.yaml:4:3" -- run "$tmp/typo.yaml" --out "$tmp/r"
expect 2 "--set bus.partitons.*did you mean 'partitions'" -- run "$src/experiments/scenarios/smart_city.yaml" --set bus.partitons=4 --out "$tmp/r"
expect 2 "unknown option" -- run "$src/experiments/scenarios/smart_city.yaml" --bogus
expect 2 "usage" -- run
expect 2 "unknown command" -- frobnicate
expect 2 "not-a-file.h5" -- inspect "$tmp/not-a-file.h5"
if [ -e "$tmp/r" ] && [ -n "$(find "$tmp/r" -type f)" ]; then echo "FAIL: a result file was left behind"; fail=$((fail + 1)); else pass=$((pass + 1)); fi

expect 0 "static-mean" -- run "$src/experiments/scenarios/smart_city.yaml" --variant static-mean --set duration=2m \
    --set workload.devices_per_site=50 --seed 3 --out "$tmp/ok"
f="$tmp/ok/smart_city/static-mean/seed-3.h5"
if [ -s "$f" ]; then pass=$((pass + 1)); else echo "FAIL: $f not written"; fail=$((fail + 1)); fi
expect 0 '"lost": 0' -- inspect "$f" --json
printf 'garbage' >"$tmp/bad.h5"
expect 2 "bad.h5" -- inspect "$tmp/bad.h5"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
