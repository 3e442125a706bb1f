#!/bin/sh
# `sparkiot train` on the command line: bad reward weights (in the scenario
# file, with its file:line, or in --pareto, naming the item), a -j that is
# not a count or does not divide --episodes, and a bad .quick line all exit
# 2 with the message; a -j 2 training says it used 2 workers and writes its
# files, and run again writes the same checkpoint, byte for byte
# (test_xp_train.c compares the runs' arrays). Usage: test_train_cli.sh SPARKIOT
set -u
SPARKIOT=$1
DIR=$(mktemp -d "${TMPDIR:-/tmp}/test_train_cli-XXXXXX")
trap 'rm -rf "$DIR"' EXIT
FAILS=0

cat > "$DIR/tiny.yaml" <<'YAML'
name: train_cli
seed: 1
seeds: 2
duration: 3m
drain: 30s
slo: 5s
topology: {sites: 2}
workload: {preset: smart_city, devices_per_site: 50}
edge: {mode: raw, flush: 1s}
bus: {partitions: 4}
pipeline: {trigger: 2s, reduce_tasks: 2, map_flops: 5e7, reduce_flops: 5e6}
allocator: {name: static, interval: 15s, min_executors: 1, max_executors: 4, initial_executors: 1}
YAML
sed 's/initial_executors: 1}/initial_executors: 1, reward_slo: -1}/' "$DIR/tiny.yaml" > "$DIR/badw.yaml"

# expect CODE TEXT ARGS...: the command exits CODE and its stderr contains TEXT.
expect() {
    code=$1 text=$2
    shift 2
    "$SPARKIOT" train "$@" > "$DIR/out" 2> "$DIR/err"
    got=$?
    if [ "$got" -ne "$code" ] || ! grep -qF -- "$text" "$DIR/err"; then
        echo "FAIL: train $*: exit $got (want $code), stderr:" >&2
        cat "$DIR/err" >&2
        echo "  (want it to contain: $text)" >&2
        FAILS=$((FAILS + 1))
    fi
}

expect 2 "badw.yaml:12:" "$DIR/badw.yaml" --policy ppo --episodes 2 --out "$DIR/x.h5"
expect 2 "parameter 'reward_slo' must be in [0, inf), got -1" "$DIR/badw.yaml" --policy dqn --out "$DIR/x.h5"
expect 2 "--pareto: weight 2 ('x') is not a number" "$DIR/tiny.yaml" --policy ppo --pareto 1,x
expect 2 "--pareto: weight 1 ('-3') must be a finite number >= 0" "$DIR/tiny.yaml" --policy ppo --pareto -3
expect 2 "--pareto: weight 3 ('1') repeats an earlier weight" "$DIR/tiny.yaml" --policy dqn --pareto 1,2,1
expect 2 "-j expects 1..256, got '0'" "$DIR/tiny.yaml" --policy ppo -j 0
expect 2 "-j 3 does not divide --episodes 4" "$DIR/tiny.yaml" --policy ppo -j 3 --episodes 4 --out "$DIR/x.h5"
printf 'duration=2m\nbogus\n' > "$DIR/tiny.quick"
expect 2 "tiny.quick:2: expected key.path=value" "$DIR/tiny.yaml" --policy ppo --quick --out "$DIR/x.h5"
rm "$DIR/tiny.quick"
[ -e "$DIR/x.h5" ] && { echo "FAIL: a refused training wrote a checkpoint" >&2; FAILS=$((FAILS + 1)); }

expect 0 "(2 workers)" "$DIR/tiny.yaml" --policy dqn --episodes 2 -j 2 --seed 5 --out "$DIR/a.h5"
[ -s "$DIR/a.h5" ] && [ -s "$DIR/a.curve.h5" ] || { echo "FAIL: no checkpoint or curve" >&2; FAILS=$((FAILS + 1)); }
sleep 1 # HDF5 object times have a one-second resolution
expect 0 "(2 workers)" "$DIR/tiny.yaml" --policy dqn --episodes 2 -j 2 --seed 5 --out "$DIR/b.h5"
cmp -s "$DIR/a.h5" "$DIR/b.h5" || { echo "FAIL: the same training wrote different checkpoint files" >&2; FAILS=$((FAILS + 1)); }

[ "$FAILS" -eq 0 ] && echo "test_train_cli: all passed"
exit "$FAILS"
