# SPDX-License-Identifier: MIT
# sim/link.mk - the host links: UART bridge and mmio backend, their harness, tests and fuzzing.
# Included by the top Makefile after sim/sim.mk (it uses SIM_RTL, SIM_LINK, SIM_HAVE_VERILATOR and
# the top Makefile's CC, CSTD, WARN, INC, SANFLAGS, WNNREC, DATA, META). docs/protocol.md, section 9.
#
#   make lint-link       verilator --lint-only -Wall: wnn_uart_rx/tx/bridge and wnn_uart_soc, five
#                        clock/baud sets
#   make synth-link      yosys synth_ice40 of wnn_uart_bridge: no latches, its buffer in SB_RAM40_4K
#   make uart-pty        build/sim/uart-pty: wnn_uart_soc verilated behind a pseudo-terminal
#                        (LINK_CLK_HZ / LINK_BAUD: 1.8432 MHz / 153600 baud, 12 clocks a bit)
#   make test-link       what CI runs (about 15 minutes): fuzz corpus replay under
#                        ASan/UBSan, mmio through a trapped mapping, the protocol frame by frame,
#                        the uart backend with timing, eval through the UART on LINK_EVAL_USERS users
#                        against golden, LINK_FAULT_OPS operations through 1% drop/dup/flip/stall
#                        (11000 operations: more than 10,000 updates and predictions)
#   make test-link-long  the same at full size: 250 users per R, 12000 operations through faults
#   make fuzz-link       libFuzzer on the response parser for FUZZ_SECONDS (clang, libclang-rt-14-dev)

LINK_CLK_HZ     ?= 1843200
LINK_BAUD       ?= 153600
LINK_FAULT_OPS  ?= 11000
LINK_EVAL_USERS ?= 250
FUZZ_SECONDS    ?= 60
FUZZ_CC         ?= clang-14
LINK_SEED       ?= 1

LINK_DIR  := $(BUILD)/link
UART_DIR  := $(BUILD)/sim/uart
UART_PTY  := $(BUILD)/sim/uart-pty
LINK_RTL  := rtl/wnn_uart_rx.v rtl/wnn_uart_tx.v rtl/wnn_uart_bridge.v rtl/wnn_uart_soc.v
LINK_LANG := --default-language 1364-2005
LINK_LIBS := $(BUILD)/libwnn.a $(SIM_LINK) -lm

.PHONY: lint-link synth-link uart-pty test-link test-link-long fuzz-link

# ---------------------------------------------------------------------------------------------
LINK_LINT_SETS := \
	"-GCLK_HZ=12000000 -GBAUD=115200" \
	"-GCLK_HZ=12000000 -GBAUD=1000000" \
	"-GCLK_HZ=25000000 -GBAUD=921600" \
	"-GCLK_HZ=48000000 -GBAUD=3000000" \
	"-GCLK_HZ=100000000 -GBAUD=115200"
lint-link: $(LINK_RTL)
	@set -e; for p in $(LINK_LINT_SETS); do for t in wnn_uart_rx wnn_uart_tx wnn_uart_bridge; do \
		echo "lint-link: $$t $$p"; \
		$(VERILATOR) --lint-only -Wall $(LINK_LANG) -Irtl rtl/wnn_uart_rx.v rtl/wnn_uart_tx.v \
			rtl/wnn_uart_bridge.v --top-module $$t $$p; done; \
		echo "lint-link: wnn_uart_soc $$p"; \
		$(VERILATOR) --lint-only -Wall $(LINK_LANG) -Irtl $(wildcard rtl/*.vlt) $(sort $(wildcard rtl/wnn_*.v)) \
			--top-module wnn_uart_soc $$p; done
	@echo "lint-link: clean"

synth-link: $(LINK_RTL)
	@mkdir -p $(BUILD)/synth
	@$(YOSYS) -q -l $(BUILD)/synth/ice40-uart-bridge.log -p "read_verilog -Irtl rtl/wnn_uart_rx.v \
		rtl/wnn_uart_tx.v rtl/wnn_uart_bridge.v; synth_ice40 -top wnn_uart_bridge; \
		tee -q -o $(BUILD)/synth/ice40-uart-bridge.stat stat" >/dev/null
	@! grep -E '^Latch inferred' $(BUILD)/synth/ice40-uart-bridge.log || \
		(echo "synth-link: FAIL: latch"; exit 1)
	@! grep -E 'DLATCH|dlatch' $(BUILD)/synth/ice40-uart-bridge.stat || \
		(echo "synth-link: FAIL: latch cell"; exit 1)
	@grep -q SB_RAM40_4K $(BUILD)/synth/ice40-uart-bridge.stat || \
		(echo "synth-link: FAIL: the frame buffer is not in block RAM"; exit 1)
	@sed -n '/Number of cells/,/^$$/p' $(BUILD)/synth/ice40-uart-bridge.stat
	@echo "synth-link: ok: wnn_uart_bridge, no latches, buffer in SB_RAM40_4K"

# ---------------------------------------------------------------------------------------------
# C tests (objects from the top Makefile's $(BUILD)/obj/%.o rule)
$(LINK_DIR)/test-bridge: $(BUILD)/obj/tests/link/test_bridge.o $(BUILD)/libwnn.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ -lm

$(LINK_DIR)/test-uart: $(BUILD)/obj/tests/link/test_uart.o $(BUILD)/libwnn.a $(SIM_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter %.o,$^) $(LINK_LIBS)

# The fuzz target replayed over the committed corpus, under ASan/UBSan (no clang needed).
$(LINK_DIR)/fuzz-replay: tests/fuzz/fuzz_proto.c tests/fuzz/replay.c sw/lib/wnn_proto.c sw/lib/wnn_proto.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(INC) $(SANFLAGS) -o $@ $(filter %.c,$^)

$(LINK_DIR)/fuzz-proto: tests/fuzz/fuzz_proto.c sw/lib/wnn_proto.c sw/lib/wnn_proto.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) $(WARN) $(INC) -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $(filter %.c,$^)

fuzz-link: $(LINK_DIR)/fuzz-proto
	@mkdir -p $(LINK_DIR)/fuzz-corpus
	cp -n tests/fuzz/corpus/* $(LINK_DIR)/fuzz-corpus/ 2>/dev/null || true
	$(LINK_DIR)/fuzz-proto -max_total_time=$(FUZZ_SECONDS) -max_len=2200 -print_final_stats=1 \
		$(LINK_DIR)/fuzz-corpus 2>&1 | tail -n 25

ifneq ($(SIM_HAVE_VERILATOR),)
# ---------------------------------------------------------------------------------------------
# wnn_uart_soc verilated, behind a pty
LINK_VROOT := $(shell $(VERILATOR) --getenv VERILATOR_ROOT)
LINK_CXXFLAGS := -std=c++17 -O2 -g -Wall -Wextra -Werror -Isim -I$(UART_DIR)/obj \
	-isystem $(LINK_VROOT)/include -isystem $(LINK_VROOT)/include/vltstd \
	-DWNN_SIM_TRACE=0 -DUART_CLK_HZ=$(LINK_CLK_HZ) -DUART_BAUD=$(LINK_BAUD)

$(UART_DIR)/obj/Vwnn_uart_soc.mk: $(SIM_RTL) sim/link.mk
	@mkdir -p $(dir $@)
	$(VERILATOR) --cc $(LINK_LANG) -O3 --x-assign unique --x-initial unique -Wno-fatal \
		--prefix Vwnn_uart_soc --top-module wnn_uart_soc -Irtl -GCLK_HZ=$(LINK_CLK_HZ) \
		-GBAUD=$(LINK_BAUD) -Mdir $(UART_DIR)/obj $(SIM_RTL)

$(UART_DIR)/obj/Vwnn_uart_soc__ALL.a: $(UART_DIR)/obj/Vwnn_uart_soc.mk
	$(MAKE) -s -C $(UART_DIR)/obj -f Vwnn_uart_soc.mk OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2 \
		Vwnn_uart_soc__ALL.a verilated.o verilated_threads.o

$(UART_PTY): sim/wnn_uart_pty.cpp sim/wnn_testbench.h $(UART_DIR)/obj/Vwnn_uart_soc__ALL.a
	$(CXX) $(LINK_CXXFLAGS) -o $@ sim/wnn_uart_pty.cpp $(UART_DIR)/obj/Vwnn_uart_soc__ALL.a \
		$(UART_DIR)/obj/verilated.o $(UART_DIR)/obj/verilated_threads.o -lz -lpthread

uart-pty: $(UART_PTY)

$(LINK_DIR)/test-mmio: $(BUILD)/obj/tests/link/test_mmio.o $(BUILD)/libwnn.a $(SIM_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(filter %.o,$^) $(LINK_LIBS)

LINK_TEST_DEPS := $(UART_PTY) $(LINK_DIR)/test-bridge $(LINK_DIR)/test-uart $(LINK_DIR)/test-mmio \
	$(LINK_DIR)/fuzz-replay $(WNNREC)
test-link: $(LINK_TEST_DEPS)
	WNNREC=$(WNNREC) DATA=$(DATA) META=$(META) BUILD=$(BUILD) SEED=$(LINK_SEED) \
		FAULT_OPS=$(LINK_FAULT_OPS) EVAL_USERS=$(LINK_EVAL_USERS) bash tests/link/run.sh

test-link-long: $(LINK_TEST_DEPS)
	WNNREC=$(WNNREC) DATA=$(DATA) META=$(META) BUILD=$(BUILD) SEED=$(LINK_SEED) \
		FAULT_OPS=12000 EVAL_USERS=250 bash tests/link/run.sh
else
uart-pty test-link test-link-long:
	@echo "$@: skipped: $(VERILATOR) not found"
endif
