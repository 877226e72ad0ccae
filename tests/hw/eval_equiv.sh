#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The MovieLens evaluation through a hardware backend must equal the golden backend's, prediction
# for prediction: the same CSV of results and the same CSV of every prediction, byte for byte.
# usage: tests/hw/eval_equiv.sh BACKEND [extra eval options]   (WNNREC, DATA, META as in run.sh)
set -u
backend=${1:?usage: eval_equiv.sh BACKEND [eval options]}
shift
WNNREC=${WNNREC:-build/wnnrec}
DATA=${DATA:-../shared/data/ml-latest-small}
META=${META:-../shared/data/the-movies-dataset/movies_metadata.ml-latest-small.csv}
if [ ! -r "$DATA/ratings.csv" ]; then
	echo "eval-equiv: $DATA not found; skipped"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(--data "$DATA" --ratings 5,10,25,100,200 --models wnn,wnn-best --quiet "$@")
[ -r "$META" ] && args+=(--meta "$META")
pass=0
fail=0
for b in golden "$backend"; do
	start=$EPOCHREALTIME
	if ! "$WNNREC" eval "${args[@]}" --backend "$b" --csv "$tmp/$b.csv" \
		--predictions "$tmp/$b.pred.csv" >"$tmp/$b.out" 2>&1; then
		echo "FAIL: eval --backend $b"; cat "$tmp/$b.out"; exit 1
	fi
	awk -v b="$b" -v t0="$start" -v t1="$EPOCHREALTIME" -v n=$(($(wc -l <"$tmp/$b.pred.csv") - 1)) \
		'BEGIN { printf "eval-equiv: %s took %.1f s, %d predictions\n", b, t1 - t0, n }'
done
for f in csv pred.csv; do
	if cmp -s "$tmp/golden.$f" "$tmp/$backend.$f"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $f differs between golden and $backend:"
		diff "$tmp/golden.$f" "$tmp/$backend.$f" | head -5
	fi
done
echo "eval-equiv ($backend): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
