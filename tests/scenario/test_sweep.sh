#!/usr/bin/env bash
# `sparkiot sweep`: every variant x seed runs once and the table summarises
# them; shards split the runs by index (i = seed offset x variants +
# variant, i mod N = I-1) and together make the whole sweep; a failed run is
# named, the others still run, and the exit code is 1; bad arguments exit 2.
set -u
bin=$1
src=$2
scn=$src/tests/scenario/data/sweep.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0

check() { # check DESCRIPTION CONDITION...
    local what=$1; shift
    if "$@"; then pass=$((pass + 1)); else echo "FAIL: $what"; fail=$((fail + 1)); fi
}
files() { (cd "$1" && find . -name '*.h5' | sort | tr '\n' ' '); }

"$bin" sweep "$scn" -j 2 --out "$tmp/a" >"$tmp/a.md" 2>"$tmp/a.err"; rc=$?
check "full sweep exits 0 (got $rc)" test $rc -eq 0
check "four results" test "$(files "$tmp/a")" = "./sweep/one/seed-1.h5 ./sweep/one/seed-2.h5 ./sweep/two/seed-1.h5 ./sweep/two/seed-2.h5 "
check "table on stdout names both variants over 2 seeds" grep -qE '^\| one \| 2 \|' "$tmp/a.md"
check "table.md written" grep -qE '^\| two \| 2 \|' "$tmp/a/sweep/table.md"
check "table.csv written with the baseline" grep -q '^sweep,one,2,.*,paired,one$' "$tmp/a/sweep/table.csv"
check "no progress line when stderr is not a terminal" test ! -s "$tmp/a.err"

"$bin" sweep "$scn" --shard 1/3 --out "$tmp/b" >/dev/null 2>&1
check "shard 1/3 runs indices 0 and 3" test "$(files "$tmp/b")" = "./sweep/one/seed-1.h5 ./sweep/two/seed-2.h5 "
"$bin" sweep "$scn" --shard 2/3 --out "$tmp/b" >/dev/null 2>&1
check "shard 2/3 adds index 1" test "$(files "$tmp/b")" = "./sweep/one/seed-1.h5 ./sweep/two/seed-1.h5 ./sweep/two/seed-2.h5 "
"$bin" sweep "$scn" --shard 3/3 --out "$tmp/b" >"$tmp/b.md" 2>&1
check "three shards make the whole sweep" test "$(files "$tmp/b")" = "$(files "$tmp/a")"
check "the last shard's table covers every seed" grep -qE '^\| two \| 2 \|' "$tmp/b.md"

"$bin" sweep "$scn" --seed-count 1 --baseline two --out "$tmp/c" >"$tmp/c.md" 2>&1
check "--seed-count 1 runs one seed per variant" test "$(files "$tmp/c")" = "./sweep/one/seed-1.h5 ./sweep/two/seed-1.h5 "
check "--baseline comes first" test "$(grep -m1 -oE '^\| (one|two) ' "$tmp/c.md")" = "| two "

out=$("$bin" sweep "$scn" --shard 7/9 --out "$tmp/f" 2>&1); rc=$?
check "a shard without runs succeeds and says so (got $rc)" test $rc -eq 0 -a "$out" = "sparkiot: shard 7/9 has no runs (the sweep has 4)"

mkdir -p "$tmp/d/sweep" && : >"$tmp/d/sweep/two"
"$bin" sweep "$scn" --out "$tmp/d" >"$tmp/d.md" 2>"$tmp/d.err"; rc=$?
check "a failed run makes the exit code 1 (got $rc)" test $rc -eq 1
check "each failed run is named" test "$(grep -c 'run sweep/two seed [12] failed' "$tmp/d.err")" -eq 2
check "the other runs still ran" test "$(files "$tmp/d")" = "./sweep/one/seed-1.h5 ./sweep/one/seed-2.h5 "

for args in "--shard 0/2" "--shard 3/2" "--shard x" "--seed-count 0" "--seed-count" "-j 0" "--baseline three" \
    "--variant one" "--bogus"; do
    # shellcheck disable=SC2086
    "$bin" sweep "$scn" $args --out "$tmp/e" >/dev/null 2>&1; rc=$?
    check "sweep $args exits 2 (got $rc)" test $rc -eq 2
done
"$bin" sweep "$tmp/missing.yaml" --out "$tmp/e" >/dev/null 2>&1; rc=$?
check "a missing scenario exits 2 (got $rc)" test $rc -eq 2
check "nothing ran on bad input" test ! -e "$tmp/e"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
