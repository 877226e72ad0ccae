#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The host-link tests (make test-link, make test-link-long): the fuzz corpus, the mmio backend through
# a trapped mapping, the UART bridge frame by frame and the uart backend through the simulated
# board (build/sim/uart-pty), the MovieLens evaluation through the UART against golden, and the uart
# backend against golden through a link that drops, duplicates, flips and stalls bytes.
# Environment: BUILD, WNNREC, DATA, META, SEED, FAULT_OPS, EVAL_USERS (see sim/link.mk).
set -u
BUILD=${BUILD:-build}
WNNREC=${WNNREC:-$BUILD/wnnrec}
DATA=${DATA:-../shared/data/ml-latest-small}
META=${META:-../shared/data/the-movies-dataset/movies_metadata.ml-latest-small.csv}
SEED=${SEED:-1}
FAULT_OPS=${FAULT_OPS:-2000}
EVAL_USERS=${EVAL_USERS:-40}
PTY=$BUILD/sim/uart-pty
T=$BUILD/link
# Host timeouts for the simulated board: it runs about 10^6 clocks a second, so a frame takes
# a few milliseconds of wall time; a busy machine may stretch that (a late answer costs a retry).
LINK_OPTS=${LINK_OPTS:-timeout=40,retries=60}

tmp=$(mktemp -d)
pids=()
pass=0
fail=0
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# start_pty NAME [uart-pty options]: a simulated board whose pty is $tmp/NAME; its log $tmp/NAME.log
start_pty() {
	local name=$1
	shift
	"$PTY" --link "$tmp/$name" --max-idle 1800 "$@" >"$tmp/$name.out" 2>"$tmp/$name.log" &
	pids+=($!)
	eval "pid_$name=$!"
	for _ in $(seq 50); do
		[ -e "$tmp/$name" ] && return 0
		sleep 0.1
	done
	echo "FAIL: $PTY did not start:"
	cat "$tmp/$name.log"
	exit 1
}

# stop_pty NAME: stops it and prints its counters
stop_pty() {
	local pid
	eval "pid=\$pid_$1"
	kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	sed 's/^/    /' "$tmp/$1.log"
}

# 1. The parser's fuzz corpus, under ASan/UBSan
if "$T/fuzz-replay" tests/fuzz/corpus >"$tmp/fuzz.out" 2>&1; then
	ok "$(tail -n 1 "$tmp/fuzz.out")"
else
	bad "fuzz corpus replay:"
	cat "$tmp/fuzz.out"
fi

# 2. The mmio backend, unchanged, on a trapped mapping of the verilated wnn_top
if "$T/test-mmio" --ops 3000 --seed "$SEED" >"$tmp/mmio.out" 2>&1; then
	ok "$(tail -n 1 "$tmp/mmio.out")"
else
	bad "test-mmio:"
	cat "$tmp/mmio.out"
fi

# 3. The bridge frame by frame, then the backend with timing, on a clean link
start_pty clean --seed "$SEED"
if "$T/test-bridge" "$tmp/clean" >"$tmp/bridge.out" 2>&1; then
	ok "$(tail -n 1 "$tmp/bridge.out")"
else
	bad "test-bridge:"
	cat "$tmp/bridge.out"
fi
for skew in -3 3; do # the bridge samples mid-bit: a host clock off by 3% must not matter
	start_pty "skew$((skew + 3))" --seed "$SEED" --skew "$skew"
	if "$T/test-bridge" "$tmp/skew$((skew + 3))" >"$tmp/skew.out" 2>&1; then
		ok "test-bridge with the host's bit time ${skew}% off: $(tail -n 1 "$tmp/skew.out")"
	else
		bad "test-bridge with the host's bit time ${skew}% off:"
		cat "$tmp/skew.out"
	fi
	stop_pty "skew$((skew + 3))" >/dev/null
done
if "$T/test-uart" "uart:$tmp/clean,$LINK_OPTS" --ops 400 --seed "$SEED" --timing \
	>"$tmp/uart.out" 2>&1; then
	ok "test-uart on a clean link:"
	sed -n '2,$p' "$tmp/uart.out" | sed 's/^/    /'
else
	bad "test-uart on a clean link:"
	cat "$tmp/uart.out"
fi

# 4. The evaluation through the UART equals golden's, byte for byte
if [ -r "$DATA/ratings.csv" ]; then
	args=(--data "$DATA" --ratings 5,25 --users "$EVAL_USERS" --quiet)
	[ -r "$META" ] && args+=(--meta "$META")
	for b in golden "uart:$tmp/clean,$LINK_OPTS"; do
		n=${b%%:*}
		t0=$EPOCHREALTIME
		if ! "$WNNREC" eval "${args[@]}" --backend "$b" --csv "$tmp/$n.csv" \
			--predictions "$tmp/$n.pred.csv" >"$tmp/$n.eval" 2>&1; then
			bad "eval --backend $b:"
			cat "$tmp/$n.eval"
		fi
		echo "    eval --backend $n, R=5,25, $EVAL_USERS users: $(elapsed "$t0") s"
	done
	if cmp -s "$tmp/golden.csv" "$tmp/uart.csv" && cmp -s "$tmp/golden.pred.csv" "$tmp/uart.pred.csv"
	then
		ok "eval through the UART: results and $(($(wc -l <"$tmp/uart.pred.csv") - 1)) predictions equal golden's"
	else
		bad "eval through the UART differs from golden:"
		diff "$tmp/golden.csv" "$tmp/uart.csv" | head -5
		diff "$tmp/golden.pred.csv" "$tmp/uart.pred.csv" | head -5
	fi
else
	echo "skip: eval through the UART: $DATA not found"
fi
stop_pty clean

# 5. Through a bad link: 1% of the bytes dropped, 1% duplicated, 1% with a flipped bit and 1% after
#    a stall, both ways; the host's bit time 2% long
start_pty faulty --seed "$SEED" --faults 1 --skew 2
t0=$EPOCHREALTIME
if "$T/test-uart" "uart:$tmp/faulty,$LINK_OPTS" --ops "$FAULT_OPS" --seed "$SEED" --min-retries 10 \
	>"$tmp/faults.out" 2>&1; then
	ok "test-uart through injected faults ($(elapsed "$t0") s):"
	sed -n '2,$p' "$tmp/faults.out" | sed 's/^/    /'
else
	bad "test-uart through injected faults:"
	cat "$tmp/faults.out"
fi
stop_pty faulty

echo "test-link: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
