/* SPDX-License-Identifier: MIT */
/* wnn_verilator.c - the "verilator" backend: the wnn_hw driver over the verilated RTL
 * (sim/wnn_sim.h).
 *
 * Spec: "verilator" or "verilator:FILE" to write a waveform of the whole session to FILE (also
 * taken from the environment variable WNN_TRACE when no FILE is given; needs a TRACE=1 build).
 * Every context is its own simulation, reset when opened. Compiled only with WNN_HAVE_VERILATOR
 * (sim/sim.mk defines it when Verilator is installed). */
#ifdef WNN_HAVE_VERILATOR
#include <stdlib.h>

#include "wnn_hw.h"
#include "wnn_sim.h"

static int sim_err(int r)
{
	switch (r) {
	case 0:
		return WNN_OK;
	case WNN_SIM_ERR_BUS:
		return WNN_ERR_BUS;
	case WNN_SIM_ERR_TIMEOUT:
		return WNN_ERR_TIMEOUT;
	default:
		return WNN_ERR_IO;
	}
}

static int sim_read32(void *sim, uint32_t addr, uint32_t *v)
{
	return sim_err(wnn_sim_read32(sim, addr, v));
}

static int sim_write32(void *sim, uint32_t addr, uint32_t v)
{
	return sim_err(wnn_sim_write32(sim, addr, v));
}

static void sim_close(void *sim)
{
	wnn_sim_close(sim);
}

static int verilator_open(wnn_ctx *ctx, const char *arg, void **dev)
{
	const char *trace = arg && *arg ? arg : getenv("WNN_TRACE");
	wnn_bus bus = {.read32 = sim_read32, .write32 = sim_write32, .close = sim_close};

	if (trace && !*trace)
		trace = NULL;
	if (trace && !wnn_sim_can_trace())
		return wnn_fail(
		    ctx, WNN_ERR_UNSUPPORTED,
		    "waveform '%s' asked for, but simulation build '%s' has no trace support "
		    "(rebuild with make sim TRACE=1)",
		    trace, wnn_sim_build());
	bus.ctx = wnn_sim_open(trace);
	if (!bus.ctx)
		return trace
			   ? wnn_fail(ctx, WNN_ERR_IO, "cannot write waveform '%s'", trace)
			   : wnn_fail(ctx, WNN_ERR_NOMEM, "out of memory building the simulation");
	return wnn_hw_open(ctx, &bus, dev);
}

const wnn_backend_ops wnn_backend_verilator = WNN_HW_BACKEND_OPS("verilator", verilator_open);

#else
typedef int wnn_verilator_not_built; /* ISO C: a translation unit declares something */
#endif
