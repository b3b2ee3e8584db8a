# ./test.sh --fuzz SECONDS: builds the libFuzzer targets (tests/fuzz) with Clang in their own build
# folder and fuzzes each in turn. New inputs go to BUILD_DIR/corpus/<target> (the seeds in
# tests/fuzz/corpus stay as they are); a crasher goes to BUILD_DIR/crashes/<target>-crash-<hash>.
# shellcheck shell=bash

BATCHDECK_FUZZ_TARGETS=(batchtypes outputline render jsonl http httpanswer)

# run_fuzz_targets BUILD_DIR SECONDS [TARGET...]
run_fuzz_targets() {
    local dir=$1 seconds=$2
    shift 2
    local targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=("${BATCHDECK_FUZZ_TARGETS[@]}")
    configure_and_build "$dir" -DBATCHDECK_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
    export_sanitizer_options
    mkdir -p "$dir/crashes"

    local target failed=0 summary=""
    for target in "${targets[@]}"; do
        local work="$dir/corpus/$target" logfile="$dir/fuzz-$target.log" status=0
        local extra=()
        [ "$target" = batchtypes ] && extra=("$BATCHDECK_ROOT/resources/batch-types")
        mkdir -p "$work"
        log "fuzzing $target for $seconds s (log: $logfile)"
        "$dir/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$dir/crashes/$target-" \
            "$work" "$BATCHDECK_ROOT/tests/fuzz/corpus/$target" "${extra[@]}" >"$logfile" 2>&1 || status=$?
        local execs rate
        execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logfile" | grep -o '[0-9]*$' || true)
        rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$logfile" | grep -o '[0-9]*$' || true)
        local result=clean
        if [ "$status" -ne 0 ]; then
            result="FAILED (exit $status): $(grep -m1 -E 'ERROR|invariant broken|runtime error' "$logfile" || true)"
            failed=1
        fi
        summary+=$(printf '%-11s %6ss %12s execs %8s/s  corpus %5s  %s' "$target" "$seconds" "${execs:-?}" \
            "${rate:-?}" "$(find "$work" -type f | wc -l)" "$result")$'\n'
    done
    log "fuzzing done"
    printf '%s' "$summary"
    [ "$failed" -eq 0 ] || {
        echo "A fuzz target failed: see its log and $dir/crashes; add the crasher to tests/fuzz/corpus/<target>." >&2
        exit 1
    }
}
