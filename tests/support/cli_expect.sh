# Sourced by the command-line test scripts (bash): `expect CODE PATTERN --
# ARGS...` runs "$bin" ARGS, and counts a pass when it exits CODE with
# output matching the extended regular expression PATTERN, else prints the
# command and the head of its output and counts a failure. The script sets
# bin, pass=0 and fail=0 first.
expect() {
    local code=$1 pattern=$2
    shift 3
    local out rc
    out=$("$bin" "$@" 2>&1)
    rc=$?
    if [ "$rc" -ne "$code" ] || ! grep -qE -- "$pattern" <<<"$out"; then
        echo "FAIL: sparkiot $* -> exit $rc (want $code), output:"
        echo "$out" | head -5
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}
