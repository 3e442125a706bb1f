#!/usr/bin/env bash
# `sparkiot bench live --quick`: the output's format and its bookkeeping,
# not the bar (figures are the benchmark's business). The quick scenario is
# tests/live/data/bench_live.yaml: 2 sites, devices every 10 ms, so a device
# a site offers 200 readings/s. The raw legs move 2 x 500 devices x 20
# readings (0.2 s) = 20,000 readings each; the pipeline runs with the whole
# number of devices a site that offers the ceiling or at most one device
# more, for 0.5 s, the half load with the whole number nearest half the
# ceiling, for 1 s; every reading published is committed; the summary
# repeats the chained leg's rate and divides the pipeline's committed
# readings by its last commit, which cannot come before the last reading's
# device time (>= 0.49 s).
set -u
bin=$1
src=$2
out=$(SPARKIOT_SOURCE_DIR=$src timeout 100 "$bin" bench live --quick 2>&1)
rc=$?
echo "$out"
if [ "$rc" -ne 0 ]; then
    echo "FAIL: sparkiot bench live --quick exited $rc"
    exit 1
fi
python3 - "$out" <<'EOF'
import re, sys

lines = sys.argv[1].strip().splitlines()
fails = []

def check(cond, what):
    if not cond:
        fails.append(what)

def fields(prefix):
    got = [l for l in lines if l.startswith(prefix + " ")]
    check(len(got) == 1, "one line starting with '%s', got %d" % (prefix, len(got)))
    return dict(kv.split("=", 1) for kv in got[0].split()[1:]) if got else {}

num = r"[0-9]+(\.[0-9]+)?"
summary = re.compile(r"^raw_ceiling_msgs_per_s=(%s) pipeline_msgs_per_s=(%s) ratio=(%s) p50_ms=(%s) p99_ms=(%s)$"
                     % ((num,) * 5))
m = summary.match(lines[-1]) if lines else None
check(m is not None, "the last line has the summary's format: %r" % (lines[-1] if lines else ""))
check(re.match(r"^machine cpus_online=[0-9]+ loadavg=%s,%s,%s$" % (num, num, num), lines[0]) is not None,
      "the first line gives the load average: %r" % lines[0])

READINGS = 2 * 500 * 20  # sites x devices a site x readings a device in 0.2 s
legs = [l for l in lines if l.startswith("raw leg=")]
check([l.split()[1] for l in legs] == ["leg=mqtt_qos1", "leg=kafka", "leg=chained"], "three raw legs in order")
rates = {}
for l in legs:
    f = dict(kv.split("=", 1) for kv in l.split()[1:])
    check(int(f["readings"]) == READINGS and int(f["received"]) == READINGS,
          "%s moved every reading: %s" % (f["leg"], l))
    rate = float(f["msgs_per_s"])
    check(rate > 0 and abs(rate - READINGS / float(f["seconds"])) <= 0.005 * rate,
          "%s: rate = readings / seconds" % f["leg"])
    rates[f["leg"]] = rate

p = fields("pipeline")
h = fields("half_load")
if m and p and h and "chained" in rates:
    ceiling, pipe, ratio, p50, p99 = (float(m.group(i)) for i in (1, 3, 5, 7, 9))
    check(ceiling == rates["chained"], "the ceiling is the chained leg's rate")
    for step, f, seconds, lo, hi in ((p, "pipeline", 0.5, 0, 200), (h, "half load", 1, -100, 100)):
        offered = float(step["offered_per_s"])
        target = ceiling if step is p else ceiling / 2
        check(offered % 200 == 0 and lo <= offered - target <= hi,
              "%s: whole devices a site offering %s: %s" % (f, target, offered))
        for k in ("published", "readings_in", "readings_out"):
            check(int(step[k]) == round(offered * seconds), "%s %s = offered x %s s: %s" % (f, k, seconds, step[k]))
        check(int(step["queued"]) == 0 and int(step["lost"]) == 0, "%s: nothing queued or lost" % f)
        check(0 < float(step["p50_ms"]) <= float(step["p99_ms"]), "%s: 0 < p50 <= p99" % f)
    last = float(p["last_commit_s"])
    check(last >= 0.49, "the last commit comes after the last reading's device time: %s" % last)
    check(0 < pipe and abs(pipe - int(p["readings_out"]) / last) <= 0.005 * pipe,
          "pipeline rate = readings / last commit")
    check(abs(ratio - pipe / ceiling) <= 0.0015, "ratio = pipeline / ceiling")
    check(p50 == float(h["p50_ms"]) and p99 == float(h["p99_ms"]), "summary percentiles are the half load's")
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
EOF
