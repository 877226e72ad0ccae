# SPDX-License-Identifier: MIT
# wnnrec - top-level make menu. Tool names can be overridden: make CC=clang VERILATOR=/opt/v/bin/verilator
CC        ?= cc
VERILATOR ?= verilator
PYTHON    ?= python3
DATA      ?= ../shared/data/ml-latest-small
META      ?= ../shared/data/the-movies-dataset/movies_metadata.ml-latest-small.csv

BUILD   := build
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
INC     := -Isw/include -Isw/lib -Isw/model -Isw/app
CFLAGS  ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_CFLAGS = $(CSTD) $(WARN) $(INC) $(CFLAGS)

LIB_SRCS  := $(wildcard sw/model/*.c) $(wildcard sw/lib/*.c)
APP_SRCS  := $(filter-out sw/app/wnnrec.c,$(wildcard sw/app/*.c))
TEST_SRCS := $(wildcard tests/unit/*.c)

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
APP_OBJS  := $(APP_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/obj/%.o)
SLIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/san/%.o)
SAPP_OBJS := $(APP_SRCS:%.c=$(BUILD)/san/%.o)
STEST_OBJS:= $(TEST_SRCS:%.c=$(BUILD)/san/%.o)

WNNREC      := $(BUILD)/wnnrec
UNIT        := $(BUILD)/unit_tests
UNIT_SAN    := $(BUILD)/unit_tests_san
WNNREC_SAN  := $(BUILD)/wnnrec_san

.PHONY: all deps run test test-unit test-cli test-hw test-eval-verilator bench lint lint-c clean docs help
all: $(WNNREC)

help:
	@echo "make deps    install build and test dependencies (Debian, as root)"
	@echo "make         build the library and the wnnrec tool"
	@echo "make run     MovieLens evaluation on the golden backend (DATA=, META= to override)"
	@echo "make test    everything CI runs: unit tests plain and under ASan/UBSan, CLI tests"
	@echo "make bench   golden-model throughput"
	@echo "make lint    static checks"
	@echo "make clean   remove build/"

deps:
	bash tools/install-deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(INC) $(SANFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libwnn.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	ar rcs $@ $^

# sim/sim.mk adds the verilator backend: SIM_DEFS (C flags for the library), SIM_LINK (objects and
# libraries to link, C++ runtime included), SIM_DEPS (prerequisites of anything linking them).
SIM_DEFS :=
SIM_LINK :=
SIM_DEPS :=
-include sim/sim.mk
-include sim/link.mk
-include fpga/fpga.mk
ALL_CFLAGS += $(SIM_DEFS)

$(WNNREC): $(BUILD)/obj/sw/app/wnnrec.o $(APP_OBJS) $(BUILD)/libwnn.a $(SIM_DEPS)
	$(CC) $(CFLAGS) -o $@ $(filter %.o %.a,$^) $(SIM_LINK) -lm

$(WNNREC_SAN): $(BUILD)/san/sw/app/wnnrec.o $(SAPP_OBJS) $(SLIB_OBJS)
	$(CC) $(SANFLAGS) -o $@ $^ -lm

$(UNIT): $(TEST_OBJS) $(APP_OBJS) $(BUILD)/libwnn.a $(SIM_DEPS)
	$(CC) $(CFLAGS) -o $@ $(filter %.o %.a,$^) $(SIM_LINK) -lcriterion -lm

$(UNIT_SAN): $(STEST_OBJS) $(SAPP_OBJS) $(SLIB_OBJS)
	$(CC) $(SANFLAGS) -o $@ $^ -lcriterion -lm

run: $(WNNREC)
	@mkdir -p results
	$(WNNREC) eval --data $(DATA) $(if $(wildcard $(META)),--meta $(META)) \
		--csv results/eval.csv --json results/eval.json --plot results/eval.svg

# Everything CI runs. The hardware part needs Verilator, Yosys, nextpnr and the yowasp ECP5 flow
# (make deps installs them). Two phases on two cores: the board bitstreams (fpga: the ECP5 one
# takes about 10 minutes on one core) are built beside the unit, CLI, lint and hardware tests,
# each target's output printed whole when it ends; then the link tests, which time a serial line,
# run alone.
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-unit test-cli lint test-hw fpga
	@$(MAKE) --no-print-directory test-link
	@echo "test: all passed"

test-unit: $(UNIT) $(UNIT_SAN)
	$(UNIT) --jobs 2
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(UNIT_SAN) --jobs 2

test-cli: $(WNNREC) $(WNNREC_SAN)
	WNNREC=$(WNNREC_SAN) DATA=$(DATA) META=$(META) bash tests/cli/run.sh

# The whole paper protocol's agents through the simulated RTL: byte-identical to the golden model.
ifneq ($(SIM_HAVE_VERILATOR),)
test-hw: test-eval-verilator
endif
test-eval-verilator: $(WNNREC)
	WNNREC=$(WNNREC) DATA=$(DATA) META=$(META) bash tests/hw/eval_equiv.sh verilator

bench: $(WNNREC)
	$(WNNREC) bench --backend golden

CPPCHECK ?= cppcheck
# The board builds (fpga) synthesise, place and route both boards' parameter sets, fail on latches
# and check block RAM; synth-ice40 / synth-ecp5 remain for the simulation builds' sets.
lint: lint-c lint-rtl lint-link synth-link

lint-c:
	$(CPPCHECK) --quiet --enable=warning,performance,portability --std=c11 --error-exitcode=1 \
		--inline-suppr $(INC) sw/model sw/lib sw/app
	@echo "lint-c: cppcheck clean"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
