#!/usr/bin/env bash
# The dashboard page in a browser: headless Chromium (fresh profile, no
# sandbox as CI runs as root) loads the page served by a short run after it
# ended, runs its script, and the dumped DOM must hold the drawn charts and
# the header's numbers, equal to the run's result file, and only the charts
# of the measures the run has; then the same for a run with a shuffle, edge
# sync and privacy (tests/dash/data/watch.yaml). Screenshots are kept as
# artifacts in $3 (the build folder). Every process started here is
# stopped here.
set -u
bin=$1
src=$2
art=$3
scn=$src/tests/scenario/data/sweep.yaml
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    # Browser processes of this test's profiles a timeout left behind.
    for p in $(pgrep -f "user-data-dir=$tmp/profile" || true); do kill -9 "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0; pass=0
check() { # check DESCRIPTION CONDITION...
    local what=$1; shift
    if "$@"; then pass=$((pass + 1)); else echo "FAIL: $what"; fail=$((fail + 1)); fi
}
browser=$(command -v chromium || command -v chromium-browser)
if [ -z "$browser" ]; then
    echo "FAIL: chromium is not installed (scripts/install-deps.sh installs it)"
    exit 1
fi
chrome() { # chrome ARGS... : one headless page load (dumped at its load event), at most 40 s
    timeout -k 5 40 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
        --user-data-dir="$tmp/profile-$RANDOM" --timeout=20000 --window-size=1400,1000 "$@" 2>>"$tmp/chrome.err"
}

"$bin" run "$scn" --variant two --seed 7 --out "$tmp/out" --set pipeline.sample_interval=2s \
    --dashboard=127.0.0.1:0 >/dev/null 2>"$tmp/run.err" &
pid=$!
port=
for _ in $(seq 300); do
    port=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/run.err" | sed 's/.*://')
    [ -n "$port" ] && curl -s --max-time 2 "http://127.0.0.1:$port/api/state" | grep -q '"finished":true' && break
    sleep 0.1
done
check "the run finished under the dashboard" test -e "$tmp/out/sweep/two/seed-7.h5"
url="http://127.0.0.1:$port/"

chrome --dump-dom "$url" >"$tmp/dom.html"
"$bin" inspect "$tmp/out/sweep/two/seed-7.h5" --json >"$tmp/inspect.json"
out=$(python3 - "$tmp/dom.html" "$tmp/inspect.json" <<'PY'
import json, re, sys
dom = open(sys.argv[1]).read(); ref = json.load(open(sys.argv[2]))
bad = []
def text(id):
    m = re.search(r'id="%s"[^>]*>([^<]*)<' % id, dom)
    return m.group(1) if m else None
want = {"h-scenario": ref["scenario"], "h-variant": ref["variant"], "h-seed": str(ref["seed"]),
        "h-backend": ref["backend"], "h-sim": "%.1f" % ref["sim_seconds"], "h-progress": "100",
        "h-status": "finished", "h-runs": "1/1"}
for k, v in want.items():
    if text(k) != v: bad.append(f"{k} shows {text(k)!r}, not {v!r}")
for c in ("throughput", "latency", "executors", "cost", "backlog", "shuffle"):
    m = re.search(r'id="chart-%s".*?</section>' % c, dom, re.S)
    if not m or m.group(0).count("<canvas") < 2: bad.append(f"chart {c} not drawn")
    elif "dygraph-legend" not in m.group(0): bad.append(f"chart {c} has no legend")
for c in ("synclag", "privacy"):  # the run has neither
    if not re.search(r'<section id="sec-%s" class="hidden">' % c, dom): bad.append(f"{c} shown")
rec = ref["records"]
if "%d / %d" % (rec["in"], rec["out"]) not in dom: bad.append("summary lacks records in / out")
print("\n".join(bad) if bad else "ok")
PY
)
check "the DOM has the charts and the header's numbers ($out)" test "$out" = ok

chrome --screenshot="$tmp/shot.png" "$url" >/dev/null
check "a screenshot was taken" test -s "$tmp/shot.png"
mkdir -p "$art" && cp "$tmp/shot.png" "$art/dashboard.png" 2>/dev/null
check "the screenshot is kept as $art/dashboard.png" test -s "$art/dashboard.png"

kill -INT "$pid"
wait "$pid"; rc=$?
pid=
check "the serving command stops on SIGINT (got $rc)" test $rc -eq 0

# A run with a shuffle, edge sync of 2 sites and the privacy path: their
# charts appear, drawn, with a line per site; screenshot dashboard-watch.png.
"$bin" run "$src/tests/dash/data/watch.yaml" --out "$tmp/watch" --dashboard=127.0.0.1:0 \
    >/dev/null 2>"$tmp/watch.err" &
pid=$!
port=
for _ in $(seq 300); do
    port=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/watch.err" | sed 's/.*://')
    [ -n "$port" ] && curl -s --max-time 2 "http://127.0.0.1:$port/api/state" | grep -q '"finished":true' && break
    sleep 0.1
done
chrome --dump-dom "http://127.0.0.1:$port/" >"$tmp/watch.html"
out=$(python3 - "$tmp/watch.html" <<'PY'
import re, sys
dom = open(sys.argv[1]).read()
bad = []
for c, labels in (("shuffle", ["memory", "local SSD", "remote service", "object store"]),
                  ("synclag", ["max", "median", "site 0", "site 1"]),
                  ("privacy", ["bytes", "edge CPU (s)", "cloud CPU (s)"])):
    if not re.search(r'<section id="sec-%s"( class="")?>' % c, dom): bad.append(f"{c} hidden")
    m = re.search(r'id="chart-%s".*?</section>' % c, dom, re.S)
    if not m or m.group(0).count("<canvas") < 2: bad.append(f"chart {c} not drawn")
    elif "dygraph-legend" not in m.group(0): bad.append(f"chart {c} has no legend")
    else:
        bad += [f"chart {c} lacks {l}" for l in labels if l not in m.group(0)]
if "site 2" in dom: bad.append("a third site")
print("\n".join(bad) if bad else "ok")
PY
)
check "the shuffle, sync lag and privacy charts are drawn ($out)" test "$out" = ok
chrome --screenshot="$tmp/watch.png" "http://127.0.0.1:$port/" >/dev/null
cp "$tmp/watch.png" "$art/dashboard-watch.png" 2>/dev/null
check "the screenshot is kept as $art/dashboard-watch.png" test -s "$art/dashboard-watch.png"
kill -INT "$pid"
wait "$pid"; rc=$?
pid=
check "the second serving command stops on SIGINT (got $rc)" test $rc -eq 0
check "no browser left running" test -z "$(pgrep -f "user-data-dir=$tmp/profile" || true)"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
