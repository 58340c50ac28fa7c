#!/bin/sh
# Fuzz/fuzz.sh BINARY SECONDS [TARGET...] — `make fuzz` runs this after building BINARY with
# address sanitizer, coverage and libFuzzer. Each target (all of them by default) is fuzzed for
# SECONDS, one after the other, from a working corpus under .build-fuzz/work/ seeded with
# Fuzz/corpus/TARGET/ (committed), the test fixtures and samples/, and ../shared/corpus (copied
# here at fuzz time, never committed). An input slower than 1 s, a crash, a leak or more than
# 2 GB of memory stops the target and leaves the input in Fuzz/crashes/: copy it into
# Fuzz/corpus/TARGET/ (the tests replay it) and fix the cause.
set -u
bin=$1
seconds=$2
shift 2
targets=${*:-manifests json audit-log eval-query label-selector baseline kubeconfig}
shared=${SHARED:-../shared}
work=.build-fuzz/work
mkdir -p "$work" Fuzz/crashes

# seed DIR FILE...: copies small files into DIR under flattened names.
seed() {
    dir=$1
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        [ "$(wc -c < "$f")" -le 65536 ] || continue
        cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
    done
}

failed=0
for t in $targets; do
    corpus=$work/corpus/$t
    seeds=$work/seeds/$t
    rm -rf "$seeds"
    mkdir -p "$corpus" "$seeds"
    seed "$seeds" Fuzz/corpus/"$t"/*
    case $t in
    manifests)
        seed "$seeds" $(find samples Tests -name '*.yaml' -o -name '*.yml' -o -name '*.json' 2>/dev/null | grep -v '/golden/')
        [ -d "$shared/corpus" ] && seed "$seeds" $(find "$shared/corpus" -name '*.yaml' -o -name '*.yml' -o -name '*.json' | sort | head -3000)
        ;;
    json | eval-query)
        seed "$seeds" $(find Tests -name '*.json' -o -name '*.jsonl' 2>/dev/null | grep -v '/golden/' | head -500)
        ;;
    audit-log)
        seed "$seeds" $(find Tests -name '*.jsonl' 2>/dev/null)
        ;;
    esac
    log=$work/$t.log
    "$bin" "$t" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix=Fuzz/crashes/"$t"- "$corpus" "$seeds" > "$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    units=$(ls "$corpus" | wc -l)
    if [ $status -eq 0 ]; then
        echo "$t: ${execs:-?} executions in ${seconds} s, no crash (corpus $units inputs, peak RSS ${rss:-?} MB)"
    else
        echo "$t: FAILED after ${execs:-?} executions (exit $status): see $log and Fuzz/crashes/"
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|ALARM|out-of-memory' "$log" | head -5
        failed=1
    fi
done
exit $failed
