#!/usr/bin/env bash
# `sparkiot paper --quick` on the two fixture scenarios of data/paper/:
# every scenario is swept with its .quick overrides and two seeds, the
# headline table is the first scenario's, and manifest.json names, for each
# figure and table, files that exist, the SHA-256 of the scenario file
# (checked against sha256sum), the seeds actually run and the result files;
# figures are non-empty PNG and PDF files.
set -u
bin=$1
src=$2
dir=$src/tests/scenario/data/paper
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0

check() { # check DESCRIPTION CONDITION...
    local what=$1; shift
    if "$@"; then pass=$((pass + 1)); else echo "FAIL: $what"; fail=$((fail + 1)); fi
}

cd "$tmp" || exit 1
"$bin" paper --quick --scenarios "$dir" --out out -j 2 >head.md 2>log; rc=$?
check "paper --quick exits 0 (got $rc: $(tail -3 log))" test $rc -eq 0
check "headline table printed: the first scenario's variants over 2 seeds" grep -qE '^\| two \| 2 \|' head.md
check "headline.md is the first scenario's table" cmp -s out/headline.md out/1_pools/table.md
check "2 seeds x 2 variants + 2 seeds x 1 variant results" \
    test "$(cd out/results && find . -name '*.h5' | sort | tr '\n' ' ')" = \
    "./paper_pools/one/seed-1.h5 ./paper_pools/one/seed-2.h5 ./paper_pools/two/seed-1.h5 ./paper_pools/two/seed-2.h5 ./paper_single/default/seed-1.h5 ./paper_single/default/seed-2.h5 "
info=$("$bin" inspect --json out/results/paper_pools/one/seed-1.h5 |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["bus_records"], d["scenario_sha256"])')
check "the .quick duration applies: 8 s x 1000 readings/s = 8000 records (got $info)" test "${info% *}" = 8000

sha_pools=$(sha256sum "$dir/1_pools.yaml" | cut -d' ' -f1)
sha_single=$(sha256sum "$dir/2_single.yaml" | cut -d' ' -f1)
out=$(python3 - "$sha_pools" "$sha_single" <<'PY'
import json, os, sys
want = {"1_pools.yaml": sys.argv[1], "2_single.yaml": sys.argv[2]}
m = json.load(open("out/manifest.json"))
bad, kinds = [], {}
for e in m["outputs"]:
    name = os.path.basename(e["scenario"])
    kinds[(name, e["kind"], os.path.splitext(e["file"])[1])] = 1
    if not os.path.isfile(e["file"]) or os.path.getsize(e["file"]) == 0: bad.append("missing " + e["file"])
    if e["scenario_sha256"] != want.get(name): bad.append("hash of " + e["file"])
    if e["seeds"] != [1, 2]: bad.append("seeds of " + e["file"])
    if e["sparkiot_version"] != m["sparkiot_version"] or not e["sparkiot_version"]: bad.append("version")
    if not e["results"] or not all(os.path.isfile(r) and "/results/" in r for r in e["results"]): bad.append("results of " + e["file"])
    if e["kind"] == "figure" and not e["file"].startswith("out/" + name[:-5] + "/"): bad.append("place of " + e["file"])
for need in [("1_pools.yaml", "figure", ".png"), ("1_pools.yaml", "figure", ".pdf"), ("2_single.yaml", "figure", ".png"),
             ("1_pools.yaml", "table", ".md"), ("2_single.yaml", "table", ".csv"), ("1_pools.yaml", "headline table", ".md")]:
    if need not in kinds: bad.append("no %s %s of %s" % (need[1], need[2], need[0]))
print("; ".join(bad) or "ok")
PY
)
check "the result file carries the scenario hash" test "${info#* }" = "$sha_pools"
check "manifest: files exist, hashes, seeds, results ($out)" test "$out" = ok
check "PNG figures are PNG" test "$(head -c 4 out/1_pools/paper_pools/cost.png | tail -c 3)" = PNG
check "PDF figures are PDF" test "$(head -c 4 out/1_pools/paper_pools/cost.pdf)" = %PDF
check "captions name the scenario, seeds and baseline" grep -q one out/1_pools/paper_pools/cost.txt

"$bin" paper --bogus >/dev/null 2>&1; rc=$?
check "unknown option exits 2 (got $rc)" test $rc -eq 2
"$bin" paper --scenarios "$tmp/none" --out out2 >/dev/null 2>&1; rc=$?
check "missing scenario folder exits 2 (got $rc)" test $rc -eq 2

echo "$pass passed, $fail failed"
test $fail -eq 0
