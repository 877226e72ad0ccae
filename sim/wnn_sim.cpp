// SPDX-License-Identifier: MIT
// wnn_sim.cpp - sim/wnn_sim.h: a Wishbone B4 pipelined master driving the verilated wnn_top.
#include "Vwnn_top.h"
#include "wnn_sim.h"
#include "wnn_testbench.h"

#ifndef WNN_SIM_BUILD
#define WNN_SIM_BUILD "unnamed"
#endif

struct wnn_sim {
	WnnTestbench<Vwnn_top> tb;
};

// One access: strobe until accepted (wb_stall_o low at the edge), then wait for ACK or ERR.
// With the register block's zero-stall, one-clock response this takes one clock per access.
static int access(wnn_sim *sim, uint32_t addr, bool write, uint32_t wdata, unsigned sel,
		  uint32_t *rdata)
{
	Vwnn_top &d = sim->tb.dut();
	unsigned waited = 0;
	int rc = 0;

	if ((addr & 3u) || addr >= (1u << 12))
		return WNN_SIM_ERR_ALIGN;
	d.wb_cyc_i = 1;
	d.wb_stb_i = 1;
	d.wb_we_i = write;
	d.wb_adr_i = addr >> 2;
	d.wb_dat_i = write ? wdata : 0;
	d.wb_sel_i = sel & 0xFu;
	for (;;) {
		sim->tb.settle();
		bool stalled = d.wb_stall_o;
		sim->tb.tick();
		if (!stalled)
			break;
		if (++waited > WNN_SIM_ACK_TIMEOUT) {
			rc = WNN_SIM_ERR_TIMEOUT;
			break;
		}
	}
	d.wb_stb_i = 0;
	d.wb_we_i = 0;
	while (!rc && !d.wb_ack_o && !d.wb_err_o) {
		if (++waited > WNN_SIM_ACK_TIMEOUT) {
			rc = WNN_SIM_ERR_TIMEOUT;
			break;
		}
		sim->tb.tick();
	}
	if (!rc && d.wb_err_o)
		rc = WNN_SIM_ERR_BUS;
	if (rdata)
		*rdata = rc ? 0 : (uint32_t)d.wb_dat_o;
	d.wb_cyc_i = 0;
	return rc;
}

extern "C" {

wnn_sim *wnn_sim_open(const char *trace_path)
{
	wnn_sim *sim = nullptr;

	try {
		sim = new wnn_sim;
		if (trace_path && !sim->tb.trace_open(trace_path)) {
			delete sim;
			return nullptr;
		}
		sim->tb.reset();
	} catch (...) { // out of memory: the C caller sees NULL, never an exception
		delete sim;
		return nullptr;
	}
	return sim;
}

int wnn_sim_read32(wnn_sim *sim, uint32_t addr, uint32_t *val)
{
	return access(sim, addr, false, 0, 0xFu, val);
}

int wnn_sim_write32(wnn_sim *sim, uint32_t addr, uint32_t val)
{
	return access(sim, addr, true, val, 0xFu, nullptr);
}

int wnn_sim_write_sel(wnn_sim *sim, uint32_t addr, uint32_t val, unsigned sel)
{
	return access(sim, addr, true, val, sel, nullptr);
}

void wnn_sim_idle(wnn_sim *sim, unsigned clocks)
{
	for (unsigned i = 0; i < clocks; i++)
		sim->tb.tick();
}

uint64_t wnn_sim_cycles(wnn_sim *sim)
{
	return sim->tb.cycles();
}

int wnn_sim_irq(wnn_sim *sim)
{
	return sim->tb.dut().irq_o;
}

void wnn_sim_close(wnn_sim *sim)
{
	delete sim;
}

const char *wnn_sim_build(void)
{
	return WNN_SIM_BUILD;
}

int wnn_sim_can_trace(void)
{
	return WNN_SIM_TRACE;
}

} // extern "C"
