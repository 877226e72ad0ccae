#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end checks of the wnnrec command line: exit codes, messages, outputs, the agent session.
# WNNREC: the binary (make test uses the ASan/UBSan build); DATA/META: the shared MovieLens copy.
set -u
WNNREC=${WNNREC:-build/wnnrec}
DATA=${DATA:-../shared/data/ml-latest-small}
META=${META:-../shared/data/the-movies-dataset/movies_metadata.ml-latest-small.csv}
FIX=tests/fixtures/movielens
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect NAME CODE PATTERN -- command...: exit status CODE and PATTERN (grep -E) in stdout+stderr
expect() {
	local name=$1 code=$2 pattern=$3
	shift 4
	"$@" >"$tmp/out" 2>&1
	local got=$?
	if [ "$got" -ne "$code" ]; then
		bad "$name: exit $got, expected $code"; sed 's/^/    /' "$tmp/out" | head -20; return
	fi
	if ! grep -qE -- "$pattern" "$tmp/out"; then
		bad "$name: output lacks /$pattern/"; sed 's/^/    /' "$tmp/out" | head -20; return
	fi
	ok
}

expect "no command prints usage" 2 "usage: wnnrec" -- "$WNNREC"
expect "unknown command" 2 "unknown command 'frobnicate'" -- "$WNNREC" frobnicate
for c in eval recommend agent bench; do
	expect "$c --help" 0 "usage: wnnrec $c" -- "$WNNREC" $c --help
done
expect "bad option" 2 "unknown or incomplete option '--bogus'" -- "$WNNREC" eval --bogus
expect "bad ratings list" 2 "--ratings: 'x' is not a list" -- "$WNNREC" eval --ratings x
expect "bad encoding" 2 "--encoding: unknown value 'fancy'" -- "$WNNREC" eval --encoding fancy
expect "bad capacity" 2 "--capacity: '-3' is not a number" -- "$WNNREC" eval --capacity -3
expect "missing value" 2 "--data needs a value" -- "$WNNREC" eval --data
expect "missing data dir" 1 "none: No such file or directory" -- \
	"$WNNREC" eval --data "$tmp/none" --no-meta
expect "malformed ratings: file and line" 1 "ratings.csv:[0-9]+: " -- \
	"$WNNREC" eval --data $FIX/bad_missing_field --no-meta
expect "unterminated quote: file and line" 1 "movies.csv:[0-9]+: " -- \
	"$WNNREC" eval --data $FIX/bad_unterminated_quote --no-meta
expect "paper join needs metadata" 1 "--join paper needs movie metadata" -- \
	"$WNNREC" eval --data $FIX/latest --no-meta --join paper
expect "unknown backend" 1 "unknown or unavailable backend 'nope'" -- \
	"$WNNREC" eval --data $FIX/latest --no-meta --backend nope --ratings 2
expect "eval on a fixture" 0 "wnn-best" -- \
	"$WNNREC" eval --data $FIX/latest --no-meta --ratings 2 --users all --quiet

if [ -r "$DATA/ratings.csv" ]; then
	args=(--data "$DATA" --users 40 --ratings 5,25 --quiet)
	[ -r "$META" ] && args+=(--meta "$META")
	expect "eval writes csv, json and svg" 0 "^25 +40 +mf" -- \
		"$WNNREC" eval "${args[@]}" --csv "$tmp/a.csv" --json "$tmp/a.json" --plot "$tmp/a.svg" \
		--predictions "$tmp/p.csv"
	rows=$(($(wc -l <"$tmp/a.csv") - 1))
	[ "$rows" -eq 14 ] && ok || bad "csv has $rows rows, expected 2 R x 7 models"
	python3 -c "import json,sys; d=json.load(open('$tmp/a.json')); assert len(d['protocol'])==2" \
		&& ok || bad "json does not parse or lacks 2 rows"
	head -c 200 "$tmp/a.svg" | grep -q "<svg" && ok || bad "plot is not an SVG"
	"$WNNREC" eval "${args[@]}" --csv "$tmp/b.csv" >/dev/null 2>&1
	cmp -s "$tmp/a.csv" "$tmp/b.csv" && ok || bad "two runs with one seed differ"
	expect "streaming mode" 0 "^200\+ " -- "$WNNREC" eval "${args[@]}" --users 10 --stream \
		--models wnn,wnn-best,user-mean
	expect "paper reproduction settings" 0 "encoding paper, join paper" -- \
		"$WNNREC" eval --data "$DATA" --meta "$META" --encoding paper --join paper --users 20 \
		--ratings 5 --quiet --models wnn,constant
	expect "recommend lists three picks" 0 "^ 3\. [0-9.]+ stars " -- \
		"$WNNREC" recommend --data "$DATA" --user 1 --top 3
	grep -qE "nearest of your ratings \([0-9]+ entr(y|ies) decided it\): .*distance [0-9]+" "$tmp/out" \
		&& ok || bad "recommend gives no reasons"
	expect "recommend an unknown user" 1 "user 999999 has no ratings" -- \
		"$WNNREC" recommend --data "$DATA" --user 999999
	expect "bench prints throughput" 0 "200 +predict +[0-9]+" -- \
		"$WNNREC" bench --entries 8,200 --seconds 0.05

	# an agent session: learn, predict, explain, forget, save, reject a corrupted file, reload
	cat >"$tmp/session" <<SESSION
# a comment
rate 1 5
rate 2 1.5
rate 3 4
predict 1
explain 2
list
forget 3
stats
save $tmp/agent.wnn
rate 4 2
load $tmp/corrupt.wnn
stats
load $tmp/agent.wnn
stats
forget-entry 9
rate 1 9
bogus
SESSION
	"$WNNREC" agent --data "$DATA" <"$tmp/session" >"$tmp/agent.out" 2>&1
	code=$?
	[ "$code" -eq 1 ] && ok || bad "agent session exit $code, expected 1 (three bad commands)"
	for pat in "learned Toy Story \(1995\) = 5.0 stars" "Toy Story \(1995\): [0-9.]+ stars \(Z = 0x" \
		"Z0  = [01]  distance" "forgot 1 entry with the features of" \
		"entries 2 of 256" "saved to" "error: .*No such file" "entries 3 of 256" \
		"loaded .*agent.wnn: 2 entries" "error: .*no entry of rank 9" \
		"error: stars must be" "error: unknown command 'bogus'"; do
		grep -qE -- "$pat" "$tmp/agent.out" && ok || { bad "agent session lacks /$pat/"; cat "$tmp/agent.out"; }
	done
	head -c 100 "$tmp/agent.wnn" > "$tmp/corrupt.wnn"
	printf 'load %s\n' "$tmp/corrupt.wnn" | "$WNNREC" agent --data "$DATA" >"$tmp/c.out" 2>&1
	grep -qE "error: malformed saved agent: .*(too short|truncated)" "$tmp/c.out" && ok || { bad "truncated agent file accepted"; cat "$tmp/c.out"; }
else
	echo "note: $DATA not found; skipping the checks on the real MovieLens data"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
