/* SPDX-License-Identifier: MIT */
/* wnn_sim.h - the wnn accelerator (rtl/wnn_top.v) verilated, behind a C interface of 32-bit
 * Wishbone register accesses. Each wnn_sim is an independent simulation with its own Verilator
 * context: several can coexist in one process. Not thread-safe per handle.
 *
 * The library is built per parameter set by sim/sim.mk (build/sim/<build>/libwnn_sim.a); a program
 * links exactly one build, which wnn_sim_build() names. */
#ifndef WNN_SIM_H
#define WNN_SIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum wnn_sim_error {
	WNN_SIM_ERR_BUS = -1,	  /* the slave terminated the access with wb_err_o */
	WNN_SIM_ERR_TIMEOUT = -2, /* no wb_ack_o / wb_err_o within WNN_SIM_ACK_TIMEOUT clocks */
	WNN_SIM_ERR_ALIGN = -3,	  /* the byte address is not a multiple of 4, or beyond 12 bits */
};

#define WNN_SIM_ACK_TIMEOUT 1000u /* clocks an access may wait for its acknowledge */

typedef struct wnn_sim wnn_sim;

/* Builds the model, applies reset and returns it, or NULL (out of memory, or a trace was asked
 * for and cannot be written). trace_path: NULL for no waveform, else a file that receives the
 * waveform (FST, or VCD in a build made with TRACE_FMT=vcd); only builds made with TRACE=1 can
 * trace (wnn_sim_can_trace). The caller frees the handle with wnn_sim_close. */
wnn_sim *wnn_sim_open(const char *trace_path);
/* One Wishbone B4 pipelined read / write of the 32-bit register at byte address addr.
 * Return 0 or a negative WNN_SIM_ERR_* code; *val is 0 after a failed read. */
int wnn_sim_read32(wnn_sim *sim, uint32_t addr, uint32_t *val);
int wnn_sim_write32(wnn_sim *sim, uint32_t addr, uint32_t val);
/* A write with byte enables sel on wb_sel_i (the register block ignores them: granularity 32). */
int wnn_sim_write_sel(wnn_sim *sim, uint32_t addr, uint32_t val, unsigned sel);
/* Lets clocks pass with the bus idle. */
void wnn_sim_idle(wnn_sim *sim, unsigned clocks);
/* Clock cycles simulated since wnn_sim_open (reset included). */
uint64_t wnn_sim_cycles(wnn_sim *sim);
/* Level of irq_o after the last clock. */
int wnn_sim_irq(wnn_sim *sim);
/* Finishes the waveform, frees everything. NULL is ignored. */
void wnn_sim_close(wnn_sim *sim);

/* The linked build: its name (e.g. "p1") and whether it can write waveforms. */
const char *wnn_sim_build(void);
int wnn_sim_can_trace(void);

#ifdef __cplusplus
}
#endif
#endif /* WNN_SIM_H */
