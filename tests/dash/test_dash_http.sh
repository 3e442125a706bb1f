#!/usr/bin/env bash
# The dashboard over HTTP: a short run served on a port the system picks
# (127.0.0.1:0), checked at the end against the run's own result file
# (`sparkiot inspect --json`); /api/series?since= pages by sequence number;
# /events streams update events; the same for a live run and a sweep;
# the shuffle, privacy and sync measures of a run that has them;
# --dashboard-exit ends the command with the runs; a bad port or one in use exits 2 before anything runs.
set -u
bin=$1
src=$2
scn=$src/tests/scenario/data/sweep.yaml
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0; pass=0
check() { # check DESCRIPTION CONDITION...
    local what=$1; shift
    if "$@"; then pass=$((pass + 1)); else echo "FAIL: $what"; fail=$((fail + 1)); fi
}
# The port a dashboard printed on its stderr file $1 (waits up to 10 s).
port_of() {
    for _ in $(seq 100); do
        p=$(grep -o 'http://127.0.0.1:[0-9]*' "$1" 2>/dev/null | head -1 | sed 's/.*://')
        [ -n "$p" ] && { echo "$p"; return 0; }
        sleep 0.1
    done
    return 1
}
get() { curl -s --max-time 5 "http://127.0.0.1:$port$1"; }
# Waits until the dashboard on $port says finished.
wait_finished() {
    for _ in $(seq 300); do
        get /api/state | grep -q '"finished":true' && return 0
        sleep 0.1
    done
    return 1
}
# compare_state RESULT.h5 POINTS BACKEND: /api/state of one finished run
# against the result file; prints ok or what differs.
compare_state() {
    get /api/state >"$tmp/state.json"
    "$bin" inspect "$1" --json >"$tmp/inspect.json"
    python3 - "$tmp/state.json" "$tmp/inspect.json" "$2" "$3" <<'PY'
import json, sys
st = json.load(open(sys.argv[1])); ref = json.load(open(sys.argv[2]))
bad = []
def eq(what, a, b):
    if a != b: bad.append(f"{what}: dashboard {a!r} != result file {b!r}")
eq("finished", st["finished"], True)
eq("runs", (st["runs_started"], st["runs_done"], st["runs_failed"], st["current"]), (1, 1, 0, 0))
r = st["runs"][0]
for k in ("scenario", "variant", "seed", "backend", "slo_ms"):
    eq(k, r[k], ref[k])
eq("backend", r["backend"], sys.argv[4])
eq("status", r["status"], "done")
eq("progress", r["progress"], 1.0)
s = r["summary"]
for k in ("cost_usd", "executor_hours", "slo_violation_share", "bus_records", "wan_bytes", "batches",
          "sim_seconds", "wall_seconds"):
    eq(k, s[k], ref[k])
for g in ("latency_ms", "records", "shuffle_bytes"):
    for k, v in s[g].items():
        eq(f"{g}.{k}", v, ref[g][k])
eq("sim_s", r["sim_s"], ref["sim_seconds"])
p = r["latest"]
eq("points add up to readings out", p["out_total"], ref["records"]["out"])
if sys.argv[4] == "simgrid":
    eq("last point at the end", p["t_s"], ref["sim_seconds"])
    eq("last point's bill is the run's", p["cost_usd"], ref["cost_usd"])
    eq("points", st["seq"], int(sys.argv[3]))
print("\n".join(bad) if bad else "ok")
PY
}


# A 20 s run sampled every 2 s: 13 points (ends at 25 s with the drain).
"$bin" run "$scn" --variant one --out "$tmp/out" --set pipeline.sample_interval=2s --dashboard=127.0.0.1:0 \
    >"$tmp/run.out" 2>"$tmp/run.err" &
pids+=($!)
port=$(port_of "$tmp/run.err")
check "the dashboard prints its URL" test -n "$port"
wait_finished
out=$(compare_state "$tmp/out/sweep/one/seed-1.h5" 13 simgrid)
check "/api/state equals the result file ($out)" test "$out" = ok

get "/api/series?since=0" >"$tmp/all.json"
get "/api/series?since=10" >"$tmp/tail.json"
get "/api/series?since=3&max=4" >"$tmp/page.json"
get "/api/series?since=13" >"$tmp/none.json"
out=$(python3 - "$tmp/all.json" "$tmp/tail.json" "$tmp/page.json" "$tmp/none.json" <<'PY'
import json, sys
al, tail, page, none = (json.load(open(f)) for f in sys.argv[1:])
bad = []
seqs = lambda d: [p["seq"] for p in d["points"]]
if seqs(al) != list(range(1, 14)): bad.append(f"since=0 gives {seqs(al)}")
if [p["t_s"] for p in al["points"]] != [2.0 * i for i in range(1, 13)] + [25.0]:
    bad.append("times are not every 2 s to the end")
if seqs(tail) != [11, 12, 13] or tail["last"] != 13: bad.append(f"since=10 gives {seqs(tail)}")
if seqs(page) != [4, 5, 6, 7] or page["last"] != 7: bad.append(f"since=3&max=4 gives {seqs(page)}")
if none["points"] != [] or none["last"] != 13: bad.append("since=13 is not empty")
if tail["points"] != al["points"][10:]: bad.append("the same points differ between requests")
if sum(p["out_rate"] * 2.0 for p in al["points"][:12]) + al["points"][12]["out_rate"] != al["points"][-1]["out_total"]:
    bad.append("rates x interval do not add up to the total")
print("\n".join(bad) if bad else "ok")
PY
)
check "/api/series?since= pages by sequence number ($out)" test "$out" = ok
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/series?since=x")
check "since=x is a bad request (got $code)" test "$code" = 400
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nothing")
check "unknown path is 404 (got $code)" test "$code" = 404

curl -sN --max-time 2 "http://127.0.0.1:$port/events" >"$tmp/events.txt"
out=$(python3 - "$tmp/events.txt" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().split("\n")
events = [json.loads(l[6:]) for l in lines if l.startswith("data: ")]
kinds = [l for l in lines if l.startswith("event: ")]
bad = []
if len(events) < 2: bad.append(f"{len(events)} events in 2 s")
if any(k != "event: update" for k in kinds) or len(kinds) != len(events): bad.append("not all update events")
if events and [p["seq"] for p in events[0]["points"]] != list(range(1, 14)): bad.append("first event lacks the points")
if len(events) > 1 and events[1]["points"] != []: bad.append("later events repeat points")
if events and not events[-1]["state"]["finished"]: bad.append("state not finished")
print("\n".join(bad) if bad else "ok")
PY
)
check "/events streams update events ($out)" test "$out" = ok

out=$(python3 -c 'import json, sys
p = json.load(sys.stdin)["points"][-1]
print("ok" if "shuffle_bytes" in p and "privacy" not in p and "sync_lag_ms" not in p else sorted(p))' <"$tmp/all.json")
check "a run without sync or privacy has only the shuffle's measures ($out)" test "$out" = ok

# A run that has a shuffle, edge sync (site 0 cut from 10 s to 20 s) and
# the privacy path: its last point's cumulative measures equal the result
# file's; site 0's sync lag grows through the cut and falls after it.
saved_port=$port
"$bin" run "$src/tests/dash/data/watch.yaml" --out "$tmp/watch" --dashboard=127.0.0.1:0 \
    >/dev/null 2>"$tmp/watch.err" &
wpid=$!
port=$(port_of "$tmp/watch.err")
wait_finished
get "/api/series?since=0" >"$tmp/watch.series"
kill -INT $wpid
wait $wpid; rc=$?
port=$saved_port
check "watch: the run ends with its dashboard (got $rc)" test $rc -eq 0
"$bin" inspect "$tmp/watch/watch/default/seed-3.h5" --json >"$tmp/watch.json"
out=$(python3 - "$tmp/watch.series" "$tmp/watch.json" <<'PY'
import json, sys
pts = json.load(open(sys.argv[1]))["points"]
ref = json.load(open(sys.argv[2]))
bad = []
if len(pts) != 36: bad.append(f"{len(pts)} points")
last = pts[-1] if pts else {}
if last.get("shuffle_bytes") != ref["shuffle_bytes"]:
    bad.append(f"shuffle {last.get('shuffle_bytes')} != {ref['shuffle_bytes']}")
pv, rp = last.get("privacy", {}), ref["privacy"]
if pv.get("bytes") != rp["bytes"] or rp["bytes"] == 0: bad.append(f"privacy bytes {pv.get('bytes')} != {rp['bytes']}")
for k in ("edge_cpu_s", "cloud_cpu_s"):
    if abs(pv.get(k, -1) - rp[k]) > 1e-9 or rp[k] == 0: bad.append(f"privacy {k} {pv.get(k)} != {rp[k]}")
lag = [(p["t_s"], p["sync_lag_ms"]) for p in pts if "sync_lag_ms" in p]
if len(lag) != len(pts) or any(l["sites"] != 2 or len(l["site"]) != 2 for _, l in lag): bad.append("sync lag sites")
cut = [l["site"][0] - (t - 11) * 1e3 for t, l in lag if 11 < t < 20]
if len(cut) < 8 or min(cut) < 0: bad.append(f"site 0 lag during the cut short of its age: {cut}")
if any(l["site"][1] >= 1100 or (t >= 23 and l["site"][0] >= 1100) for t, l in lag): bad.append("lag outside the cut")
print("\n".join(bad) if bad else "ok")
PY
)
check "watch: live measures against the result file and the cut ($out)" test "$out" = ok

# A port in use: the running dashboard's.
start=$(date +%s%N)
"$bin" run "$scn" --variant one --out "$tmp/busy" --dashboard "127.0.0.1:$port" >/dev/null 2>"$tmp/busy.err"; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "port in use exits 2 (got $rc)" test $rc -eq 2
check "port in use says so" grep -q "Address already in use" "$tmp/busy.err"
check "nothing ran (no result file)" test ! -e "$tmp/busy"
check "port in use fails fast (${ms} ms)" test "$ms" -lt 2000
"$bin" run "$scn" --variant one --out "$tmp/bad" --dashboard=127.0.0.1:70000 >/dev/null 2>"$tmp/bad.err"; rc=$?
check "bad port exits 2 (got $rc)" test $rc -eq 2
check "bad port names the option" grep -q -- "--dashboard expects" "$tmp/bad.err"
check "nothing ran (no result file)" test ! -e "$tmp/bad"

kill -INT "${pids[0]}"
wait "${pids[0]}"; rc=$?
pids=()
check "SIGINT ends the serving command with the run's status (got $rc)" test $rc -eq 0

timeout 20 "$bin" sweep "$scn" --set nosuch.key=1 --out "$tmp/nokey" --dashboard=127.0.0.1:0 >/dev/null 2>&1; rc=$?
check "bad input under --dashboard exits 2 without serving (got $rc)" test $rc -eq 2

# live: the run feeds the hub in process (its own mosquitto, Kafka mock).
"$bin" live "$src/tests/live/data/live_small.yaml" --out "$tmp/live" --dashboard 127.0.0.1:0 \
    >/dev/null 2>"$tmp/live.err" &
pids+=($!)
port=$(port_of "$tmp/live.err")
# While it runs (6 s of wall-clock time): running, with points, part way.
mid=
for _ in $(seq 100); do
    mid=$(get /api/state | python3 -c 'import json,sys
r = json.load(sys.stdin)["runs"]
if r and r[0]["status"] == "running" and r[0]["latest"]: print(r[0]["progress"], r[0]["latest"]["seq"])' 2>/dev/null)
    [ -n "$mid" ] && break
    sleep 0.1
done
check "live: seen running part way with points (progress, seq: $mid)" \
    python3 -c 'import sys; p, q = map(float, sys.argv[1:3]); sys.exit(not (0 < p < 1 and q >= 1))' $mid
wait_finished
out=$(compare_state "$tmp/live/live_small/default/seed-11.h5" 0 live)
check "live: /api/state equals the result file ($out)" test "$out" = ok
kill -INT "${pids[0]}"
wait "${pids[0]}"; rc=$?
pids=()
check "live: SIGINT ends the serving command with the run's status (got $rc)" test $rc -eq 0

"$bin" sweep "$scn" -j 2 --seed-count 1 --out "$tmp/sweep" --dashboard=127.0.0.1:0 >/dev/null 2>"$tmp/sweep.err" &
pids+=($!)
port=$(port_of "$tmp/sweep.err")
wait_finished
st=$(get /api/state)
check "sweep: 2 runs expected and done" test "$(echo "$st" | grep -o '"runs_expected":2,"runs_started":2,"runs_done":2')" != ""
kill -INT "${pids[0]}"
wait "${pids[0]}"; rc=$?
pids=()
check "sweep: SIGINT ends the serving command with the sweep's status (got $rc)" test $rc -eq 0
check "sweep wrote both runs" test -e "$tmp/sweep/sweep/one/seed-1.h5" -a -e "$tmp/sweep/sweep/two/seed-1.h5"

timeout 60 "$bin" run "$scn" --variant two --out "$tmp/exit" --dashboard 127.0.0.1:0 --dashboard-exit >/dev/null 2>&1
rc=$?
check "--dashboard-exit ends the command with the run (got $rc)" test $rc -eq 0
check "--dashboard-exit: the run wrote its result" test -e "$tmp/exit/sweep/two/seed-1.h5"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
