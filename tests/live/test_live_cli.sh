#!/usr/bin/env bash
# `sparkiot live` on bad configuration: exit 2 with a message naming the
# problem, within a bounded time, and no result file — an unknown role, a
# role process without the shared brokers it needs, sites the scenario does
# not have, a recording that cannot be written, malformed options, MQTT and Kafka brokers
# that cannot be reached (a loopback port nothing listens on), and a Kafka
# client setting librdkafka does not know.
set -u
bin=$1
src=$2
scen=$src/tests/live/data/live_small.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0
# a loopback port with nothing listening: bound, then released
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

expect() { # expect MAX_SECONDS PATTERN -- ARGS...
    local max=$1 pattern=$2; shift 3
    local out rc start=$SECONDS
    out=$(timeout 60 "$bin" live "$scen" --out "$tmp/out" "$@" 2>&1); rc=$?
    local took=$((SECONDS - start))
    if [ "$rc" -ne 2 ] || ! grep -qE -- "$pattern" <<<"$out" || [ "$took" -gt "$max" ] || [ -e "$tmp/out" ]; then
        echo "FAIL: sparkiot live $* -> exit $rc in ${took}s (want 2 within ${max}s), output:"
        echo "$out" | tail -5
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}

expect 10 "--role expects all, devices, edge or engine" -- --role nonsense
expect 10 "--role edge needs --mqtt HOST:PORT" -- --role edge
expect 10 "--role engine needs --kafka BOOTSTRAP" -- --role engine --origin 1700000000000000000
expect 10 "--sites: the scenario has sites 0-1" -- --sites 1-2
expect 10 "--sites expects FIRST-LAST" -- --sites 2-1
expect 10 "--origin expects ns since the Unix epoch" -- --origin soon
expect 10 "--qos expects 0 or 1" -- --qos 2
expect 10 "--mqtt expects HOST:PORT" -- --mqtt nohost
expect 10 "--kafka-config expects key=value" -- --kafka-config novalue
expect 15 "cannot reach the MQTT broker at 127.0.0.1:$port" -- --mqtt "127.0.0.1:$port"
expect 20 "cannot reach kafka at 127.0.0.1:$port" -- --kafka "127.0.0.1:$port"
expect 15 "kafka setting bogus.key=1" -- --kafka-config bogus.key=1
expect 15 "cannot write the recording $tmp/none/rec.csv" -- --record "$tmp/none/rec.csv"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
