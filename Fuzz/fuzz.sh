#!/bin/sh
# Fuzz/fuzz.sh BINARY SECONDS [TARGET...] — `make fuzz` runs this after building BINARY with
# address sanitizer, coverage and libFuzzer. Each target (all of them by default) is fuzzed for
# SECONDS, one after the other, from a working corpus under .build-fuzz/work/ seeded with
# Fuzz/corpus/TARGET/ (committed), the test fixtures and samples/, and ../shared/corpus (copied
# here at fuzz time, never committed). An input slower than 1 s, a crash, a leak or more than
# 2 GB of memory stops the target and leaves the input in Fuzz/crashes/: copy it into
# Fuzz/corpus/TARGET/ (the tests replay it) and fix the cause.
#
# FUZZ_RUNS=N (environment) stops each target after N executions instead of after SECONDS (the
# time limit still applies as a ceiling); FUZZ_MAX_LEN caps the size of generated inputs
# (65536 by default); FUZZ_TIMEOUT=S raises the 1 s limit a single input may take, for runs
# on a loaded machine: every input that sets a new record above 1 s is then kept as
# Fuzz/crashes/TARGET-slow-unit-*, to be rerun alone (`perf stat -e task-clock BINARY TARGET
# FILE` tells a slow input from a stall of the machine).
#
# Each target's line reports its executions, its speed and its memory: the resident size once
# the seeds have run, and the peak. Then the target's whole working corpus (up to 3,000 inputs)
# runs 5 times over in one process with the sanitizer's quarantine off (`--repeat`): the
# resident size after the first and the last pass shows whether memory grows across inputs
# (more than 10% and 8 MB more after pass 5 than after pass 1 fails).
set -u
bin=$1
seconds=$2
shift 2
targets=${*:-manifests json audit-log eval-query label-selector baseline kubeconfig vault go-regex external-target vault-target prescan}
runs=${FUZZ_RUNS:--1}
max_len=${FUZZ_MAX_LEN:-65536}
timeout=${FUZZ_TIMEOUT:-1}
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
    manifests | prescan)
        seed "$seeds" $(find samples Tests -name '*.yaml' -o -name '*.yml' -o -name '*.json' 2>/dev/null | grep -v '/golden/')
        [ -d "$shared/corpus" ] && seed "$seeds" $(find "$shared/corpus" -name '*.yaml' -o -name '*.yml' -o -name '*.json' | sort | head -3000)
        ;;
    json | eval-query)
        seed "$seeds" $(find Tests -name '*.json' -o -name '*.jsonl' 2>/dev/null | grep -v '/golden/' | head -500)
        ;;
    audit-log)
        seed "$seeds" $(find Tests -name '*.jsonl' 2>/dev/null)
        ;;
    vault)
        seed "$seeds" $(find examples Tests -path '*/sys/policy/*.hcl' -o -path '*/auth/*/role/*.json' 2>/dev/null)
        ;;
    esac
    log=$work/$t.log
    "$bin" "$t" -max_total_time="$seconds" -runs="$runs" -timeout="$timeout" -report_slow_units=1 -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 \
        -artifact_prefix=Fuzz/crashes/"$t"- "$corpus" "$seeds" > "$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    slowest=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log" | tail -1)
    inited=$(sed -n 's/.*INITED.* rss: \([0-9]*\)Mb.*/\1/p' "$log" | head -1)
    units=$(ls "$corpus" | wc -l)
    if [ $status -eq 0 ]; then
        echo "$t: ${execs:-?} executions (${speed:-?}/s), no crash, slowest input under $((${slowest:-0} + 1)) s (corpus $units inputs; RSS ${inited:-?} MB after the seeds, peak ${rss:-?} MB)"
        ASAN_OPTIONS=quarantine_size_mb=0:detect_leaks=0 "$bin" "$t" --repeat 5 $(ls "$corpus" | head -3000 | sed "s|^|$corpus/|") > "$work/$t.memory" 2>&1
        first=$(sed -n 's/^pass 1: resident KiB //p' "$work/$t.memory")
        last=$(sed -n 's/^pass 5: resident KiB //p' "$work/$t.memory")
        if [ -z "$first" ] || [ -z "$last" ]; then
            echo "$t: the memory check did not finish: see $work/$t.memory"
            failed=1
        elif [ "$last" -gt $((first + first / 10 + 8192)) ]; then
            echo "$t: memory GROWS across inputs: $((first / 1024)) MB after one pass of the corpus, $((last / 1024)) MB after five"
            failed=1
        else
            echo "$t: memory steady across inputs: $((first / 1024)) MB after one pass of the corpus, $((last / 1024)) MB after five"
        fi
    else
        echo "$t: FAILED after ${execs:-?} executions (exit $status): see $log and Fuzz/crashes/"
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|ALARM|out-of-memory' "$log" | head -5
        failed=1
    fi
done
exit $failed
