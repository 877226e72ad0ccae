/* SPDX-License-Identifier: MIT */
/* wb_regs.c - directed tests of the Wishbone register block (rtl/wnn_wb_regs.v) in the verilated
 * wnn_top: identification, read-back, undefined addresses, write-1-to-clear, the interrupt, bad
 * slots, writes while busy and the counters. Each check prints what it expected and what it got;
 * the last line is "N passed, M failed" and the exit code is non-zero on any failure. */
#include <inttypes.h>
#include <stdio.h>

#include "wnn_regmap.h"
#include "wnn_sim.h"

static unsigned passed, failed;

static void check(const char *what, uint64_t want, uint64_t got)
{
	if (want == got) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: expected 0x%" PRIx64 ", got 0x%" PRIx64 "\n", what, want, got);
}

/* a mask of the n low bits, n <= 64 */
static uint64_t low_bits(uint32_t n)
{
	return n >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
}

static uint32_t rd(wnn_sim *s, uint32_t addr)
{
	uint32_t v = 0;
	int r = wnn_sim_read32(s, addr, &v);

	if (r)
		check("read return code", 0, (uint64_t)(int64_t)r);
	return v;
}

static void wr(wnn_sim *s, uint32_t addr, uint32_t v)
{
	int r = wnn_sim_write32(s, addr, v);

	if (r)
		check("write return code", 0, (uint64_t)(int64_t)r);
}

/* Starts op and waits for DONE; returns STATUS. */
static uint32_t run(wnn_sim *s, uint32_t op)
{
	uint32_t st = 0;

	wr(s, WNN_REG_CMD, WNN_CMD_OP_SET(op));
	for (unsigned i = 0; i < 100000; i++) {
		st = rd(s, WNN_REG_STATUS);
		if (WNN_STATUS_DONE_GET(st))
			return st;
	}
	check("operation finishes", 1, 0);
	return st;
}

/* The paper-sized device configuration with one group, slot 0 initialised. */
static void configure(wnn_sim *s, uint32_t settle)
{
	wr(s, WNN_REG_CFG_WIDTHS, WNN_CFG_WIDTHS_IN_BITS_SET(8) | WNN_CFG_WIDTHS_OUT_BITS_SET(4));
	wr(s, WNN_REG_CFG_POLICY, WNN_CFG_POLICY_SETTLE_SET(settle));
	wr(s, WNN_REG_CFG_THRESHOLD, 0xFFFFu);
	wr(s, WNN_REG_CFG_CAPACITY, 4);
	wr(s, WNN_REG_CFG_N_GROUPS, 2);
	for (uint32_t g = 0; g < 2; g++) {
		wr(s, WNN_REG_GRP_ADDR, g);
		wr(s, WNN_REG_GRP_LAYER, g);
		wr(s, WNN_REG_GRP_MASK_A_LO, 0xFF);
		wr(s, WNN_REG_GRP_MASK_B_LO, g ? 0xF : 0xFF);
		wr(s, WNN_REG_GRP_MEMBERS_LO, g ? 0xF : 0xFF);
		wr(s, WNN_REG_GRP_COMMIT, 1);
	}
	wr(s, WNN_REG_SLOT, 0);
	wr(s, WNN_REG_PRNG_LO, 1);
	wr(s, WNN_REG_PRNG_HI, 0);
	check("INIT_SLOT status", WNN_ST_OK, WNN_STATUS_CODE_GET(run(s, WNN_OP_INIT_SLOT)));
}

int main(void)
{
	wnn_sim *s = wnn_sim_open(NULL);
	uint32_t v, p1, p2, slots, ops, st, busy0, in_w, out_w, rb;

	if (!s) {
		printf("cannot open the simulation\n0 passed, 1 failed\n");
		return 1;
	}
	printf("wb_regs: build %s\n", wnn_sim_build());

	/* identification */
	check("ID", WNN_ID_VALUE, rd(s, WNN_REG_ID));
	check("VERSION", WNN_VERSION_VALUE, rd(s, WNN_REG_VERSION));
	p2 = rd(s, WNN_REG_PARAMS2);
	slots = WNN_PARAMS2_SLOTS_GET(p2);
	check("PARAMS2.SLOTS > 0", 1, slots > 0);
	check("STATUS after reset", 0, rd(s, WNN_REG_STATUS));

	/* read/write registers and byte lanes; vectors keep their PARAMS widths, the rest reads 0
	 */
	p1 = rd(s, WNN_REG_PARAMS);
	in_w = WNN_PARAMS_IN_W_GET(p1);
	out_w = WNN_PARAMS_OUT_W_GET(p1);
	rb = WNN_PARAMS2_READBACK_GET(p2);
	wr(s, WNN_REG_CFG_CAPACITY, 0x12345678u);
	check("CFG_CAPACITY read back", 0x12345678u, rd(s, WNN_REG_CFG_CAPACITY));
	wnn_sim_write_sel(s, WNN_REG_CFG_CAPACITY, 0xAABBCCDDu, 0x5u);
	check("granularity 32: wb_sel_i ignored", 0xAABBCCDDu, rd(s, WNN_REG_CFG_CAPACITY));
	wr(s, WNN_REG_PRNG_LO, 0x12345678u);
	wr(s, WNN_REG_PRNG_HI, 0x9ABCDEF0u);
	check("PRNG_LO read back (0 without READBACK)", rb ? 0x12345678u : 0,
	      rd(s, WNN_REG_PRNG_LO));
	check("PRNG_HI read back (0 without READBACK)", rb ? 0x9ABCDEF0u : 0,
	      rd(s, WNN_REG_PRNG_HI));
	wr(s, WNN_REG_X_LO, 0xFFFFFFFFu);
	wr(s, WNN_REG_X_HI, 0xFFFFFFFFu);
	check("X_LO keeps IN_W bits", rb ? (uint32_t)low_bits(in_w) : 0, rd(s, WNN_REG_X_LO));
	check("X_HI keeps IN_W bits", rb ? (uint32_t)(low_bits(in_w) >> 32) : 0,
	      rd(s, WNN_REG_X_HI));
	wr(s, WNN_REG_Z_LO, 0xFFFFFFFFu);
	wr(s, WNN_REG_Z_HI, 0xFFFFFFFFu);
	check("Z_LO keeps OUT_W bits", rb ? (uint32_t)low_bits(out_w) : 0, rd(s, WNN_REG_Z_LO));
	check("Z_HI keeps OUT_W bits", rb ? (uint32_t)(low_bits(out_w) >> 32) : 0,
	      rd(s, WNN_REG_Z_HI));
	wr(s, WNN_REG_GRP_MEMBERS_HI, 0xFFFFFFFFu);
	check("GRP_MEMBERS_HI keeps max(IN_W, OUT_W) bits",
	      rb ? (uint32_t)(low_bits(in_w > out_w ? in_w : out_w) >> 32) : 0,
	      rd(s, WNN_REG_GRP_MEMBERS_HI));
	wr(s, WNN_REG_CFG_POLICY, 0xFFFFFFFFu);
	check("CFG_POLICY keeps only its fields", 0x0000FF07u, rd(s, WNN_REG_CFG_POLICY));
	wr(s, WNN_REG_CFG_WIDTHS, 0xFFFFFFFFu);
	check("CFG_WIDTHS keeps only its fields", 0x7F7Fu, rd(s, WNN_REG_CFG_WIDTHS));
	check("CMD reads 0", 0, rd(s, WNN_REG_CMD));
	wr(s, WNN_REG_ID, 0);
	check("ID ignores writes", WNN_ID_VALUE, rd(s, WNN_REG_ID));
	check("no bus error yet", 0, WNN_STATUS_BUS_ERROR_GET(rd(s, WNN_REG_STATUS)));

	/* undefined addresses: error termination, read 0, sticky flag, address */
	v = 0xDEADu;
	check("read of a hole answers ERR", (uint64_t)(int64_t)WNN_SIM_ERR_BUS,
	      (uint64_t)(int64_t)wnn_sim_read32(s, 0x04C, &v));
	check("read of a hole returns 0", 0, v);
	check("STATUS.BUS_ERROR set", 1, WNN_STATUS_BUS_ERROR_GET(rd(s, WNN_REG_STATUS)));
	check("BUS_ERR_ADDR", 0x04C, rd(s, WNN_REG_BUS_ERR_ADDR));
	check("write beyond the map answers ERR", (uint64_t)(int64_t)WNN_SIM_ERR_BUS,
	      (uint64_t)(int64_t)wnn_sim_write32(s, 0xFFC, 1));
	check("BUS_ERR_ADDR follows the last", 0xFFC, rd(s, WNN_REG_BUS_ERR_ADDR));
	check("unaligned address refused by the master", (uint64_t)(int64_t)WNN_SIM_ERR_ALIGN,
	      (uint64_t)(int64_t)wnn_sim_read32(s, 0x002, &v));
	wr(s, WNN_REG_STATUS, WNN_STATUS_BUS_ERROR_MASK);
	check("BUS_ERROR cleared by writing 1", 0, WNN_STATUS_BUS_ERROR_GET(rd(s, WNN_REG_STATUS)));

	/* bad slot: finishes at once, never reaches the core */
	ops = rd(s, WNN_REG_OPS_DONE);
	wr(s, WNN_REG_SLOT, slots);
	wr(s, WNN_REG_CMD, WNN_OP_NOP);
	st = rd(s, WNN_REG_STATUS);
	check("bad slot: DONE at once", 1, WNN_STATUS_DONE_GET(st));
	check("bad slot: not BUSY", 0, WNN_STATUS_BUSY_GET(st));
	check("bad slot: CODE", WNN_ST_BAD_SLOT, WNN_STATUS_CODE_GET(st));
	check("bad slot: ERROR", 1, WNN_STATUS_ERROR_GET(st));
	check("bad slot: counted", ops + 1, rd(s, WNN_REG_OPS_DONE));
	check("bad slot: CYCLES_LAST", 0, rd(s, WNN_REG_CYCLES_LAST));

	/* operations, the interrupt and the counters */
	configure(s, 1);
	check("NOP status", WNN_ST_OK, WNN_STATUS_CODE_GET(run(s, WNN_OP_NOP)));
	check("undefined op status", WNN_ST_BAD_OP, WNN_STATUS_CODE_GET(run(s, 15)));
	check("irq low while disabled", 0, (uint64_t)wnn_sim_irq(s));
	wr(s, WNN_REG_IRQ_ENABLE, WNN_IRQ_ENABLE_DONE_MASK);
	check("irq follows DONE once enabled", 1, (uint64_t)wnn_sim_irq(s));
	wr(s, WNN_REG_STATUS, WNN_STATUS_DONE_MASK);
	check("DONE cleared by writing 1", 0, WNN_STATUS_DONE_GET(rd(s, WNN_REG_STATUS)));
	check("irq low after DONE is cleared", 0, (uint64_t)wnn_sim_irq(s));
	wr(s, WNN_REG_X_LO, 0x5A);
	wr(s, WNN_REG_X_HI, 0);
	wr(s, WNN_REG_Y_LO, 0x3);
	wr(s, WNN_REG_Y_HI, 0);
	st = run(s, WNN_OP_TRAIN);
	check("TRAIN status", WNN_ST_OK, WNN_STATUS_CODE_GET(st));
	check("irq after TRAIN", 1, (uint64_t)wnn_sim_irq(s));
	check("TRAIN: CYCLES_LAST > 0", 1, rd(s, WNN_REG_CYCLES_LAST) > 0);
	run(s, WNN_OP_READ_STATE);
	check("READ_STATE: R_COUNT", 1, rd(s, WNN_REG_R_COUNT));
	check("READ_STATE: R_Q_LO (the trained x)", 0x5A, rd(s, WNN_REG_R_Q_LO));
	wr(s, WNN_REG_RANK, 0);
	run(s, WNN_OP_READ_ENTRY);
	check("READ_ENTRY: R_X_LO", 0x5A, rd(s, WNN_REG_R_X_LO));
	check("READ_ENTRY: R_Y_LO", 0x3, rd(s, WNN_REG_R_Y_LO));
	wr(s, WNN_REG_RANK, 1);
	check("READ_ENTRY beyond count", WNN_ST_RANGE,
	      WNN_STATUS_CODE_GET(run(s, WNN_OP_READ_ENTRY)));
	wr(s, WNN_REG_IRQ_ENABLE, 0);

	/* writes while BUSY are ignored and flagged; the running operation is not disturbed */
	configure(s, 255);
	check("TRAIN before the PREDICT", WNN_ST_OK, WNN_STATUS_CODE_GET(run(s, WNN_OP_TRAIN)));
	busy0 = rd(s, WNN_REG_CYCLES_BUSY);
	ops = rd(s, WNN_REG_OPS_DONE);
	wr(s, WNN_REG_X_LO, 0x11);
	wr(s, WNN_REG_CMD, WNN_OP_PREDICT);
	st = rd(s, WNN_REG_STATUS);
	check("PREDICT with 255 steps is BUSY", 1, WNN_STATUS_BUSY_GET(st));
	wr(s, WNN_REG_X_LO, 0x22);
	wr(s, WNN_REG_CMD, WNN_OP_CLEAR);
	wr(s, WNN_REG_CFG_CAPACITY, 2);
	st = rd(s, WNN_REG_STATUS);
	check("IGNORED set", 1, WNN_STATUS_IGNORED_GET(st));
	check("operand unchanged (0 without READBACK)", rb ? 0x11u : 0u, rd(s, WNN_REG_X_LO));
	check("configuration unchanged", 4, rd(s, WNN_REG_CFG_CAPACITY));
	st = run(s, WNN_OP_NOP); /* this CMD is ignored too: it just waits for the PREDICT */
	check("the PREDICT finishes OK", WNN_ST_OK, WNN_STATUS_CODE_GET(st));
	check("one operation counted", ops + 1, rd(s, WNN_REG_OPS_DONE));
	check("CYCLES_BUSY grew by at least CYCLES_LAST", 1,
	      rd(s, WNN_REG_CYCLES_BUSY) - busy0 >= rd(s, WNN_REG_CYCLES_LAST));
	check("PREDICT took hundreds of clocks", 1, rd(s, WNN_REG_CYCLES_LAST) >= 255);
	wr(s, WNN_REG_STATUS, WNN_STATUS_IGNORED_MASK);
	check("IGNORED cleared by writing 1", 0, WNN_STATUS_IGNORED_GET(rd(s, WNN_REG_STATUS)));
	run(s, WNN_OP_READ_STATE);
	check("the ignored CLEAR did not run", 1, rd(s, WNN_REG_R_COUNT));

	printf("wb_regs: %" PRIu64 " clocks\n", wnn_sim_cycles(s));
	wnn_sim_close(s);
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
