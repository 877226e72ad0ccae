#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The paper-reproduction figures of docs/results.md: `paper` encoding and join, seeds 1..N, mean and
# standard deviation of within-one-star accuracy per model and R.
# usage: tools/paper-seeds.sh [N] [extra wnnrec eval options]
set -euo pipefail
n=${1:-10}
shift || true
WNNREC=${WNNREC:-build/wnnrec}
for s in $(seq 1 "$n"); do
	"$WNNREC" eval --encoding paper --join paper --quiet --models wnn,mlp,mf --seed "$s" "$@" 2>/dev/null |
		awk '$3=="wnn"||$3=="mlp"||$3=="mf" {print $3, $1, $5}'
done | awk '{k=$1" "$2; s[k]+=$3; ss[k]+=$3*$3; c[k]++}
	END {for (k in s) {m=s[k]/c[k]; v=ss[k]/c[k]-m*m; printf "%-4s R=%-4s mean %.3f  sd %.3f  (%d seeds)\n",
		substr(k,1,index(k," ")-1), substr(k,index(k," ")+1), m, sqrt(v>0?v:0), c[k]}}' | sort -k1,1 -t= -k2n
