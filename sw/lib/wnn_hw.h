/* SPDX-License-Identifier: MIT */
/* wnn_hw.h - internal: the one register-level driver of the wnn accelerator, over any wnn_bus.
 *
 * A hardware backend opens its transport, hands it to wnn_hw_open and takes every other operation
 * from here (WNN_HW_BACKEND_OPS). The driver uses only the names of the generated
 * sw/lib/wnn_regmap.h. The device is configured once for all its slots (docs/regmap.md): the first
 * agent's configuration is written to it, and later agents must have the same one except the seed.
 */
#ifndef WNN_HW_H
#define WNN_HW_H

#include "wnn_backend.h"
#include "wnn_bus.h"

/* Largest number of STATUS reads an operation may wait for DONE before WNN_ERR_TIMEOUT. */
#define WNN_HW_POLL_LIMIT (1u << 24)

/* Checks ID and VERSION, reads the synthesis parameters. Owns bus from the call on: it is closed
 * on failure and by wnn_hw_close. Details of a failure go to ctx (wnn_fail). */
int wnn_hw_open(wnn_ctx *ctx, const wnn_bus *bus, void **dev);

void wnn_hw_close(void *dev);
int wnn_hw_agent_open(void *dev, const wnn_config *cfg, const wnn_group *groups, uint32_t n_groups,
		      void **slot);
void wnn_hw_agent_close(void *dev, void *slot);
int wnn_hw_train(void *dev, void *slot, uint64_t x, uint64_t y);
int wnn_hw_predict(void *dev, void *slot, uint64_t x, uint64_t *z);
int wnn_hw_step(void *dev, void *slot, uint64_t x);
int wnn_hw_reset_state(void *dev, void *slot);
int wnn_hw_forget_rank(void *dev, void *slot, uint32_t rank);
int wnn_hw_forget_input(void *dev, void *slot, uint64_t x);
int wnn_hw_clear(void *dev, void *slot);
int wnn_hw_count(void *dev, void *slot, uint32_t *entries);
int wnn_hw_read_entry(void *dev, void *slot, uint32_t rank, uint64_t *x, uint64_t *y);
int wnn_hw_get_state(void *dev, void *slot, wnn_state *st);
int wnn_hw_set_state(void *dev, void *slot, const wnn_state *st);
int wnn_hw_last_cycles(void *dev, void *slot, uint64_t *cycles);

/* The operations table of a backend named NAME whose open function OPEN ends in wnn_hw_open. */
#define WNN_HW_BACKEND_OPS(NAME, OPEN)                                                             \
	{                                                                                          \
		.name = (NAME), .open = (OPEN), .close = wnn_hw_close,                             \
		.agent_open = wnn_hw_agent_open, .agent_close = wnn_hw_agent_close,                \
		.train = wnn_hw_train, .predict = wnn_hw_predict, .step = wnn_hw_step,             \
		.reset_state = wnn_hw_reset_state, .forget_rank = wnn_hw_forget_rank,              \
		.forget_input = wnn_hw_forget_input, .clear = wnn_hw_clear, .count = wnn_hw_count, \
		.read_entry = wnn_hw_read_entry, .get_state = wnn_hw_get_state,                    \
		.set_state = wnn_hw_set_state, .last_cycles = wnn_hw_last_cycles,                  \
	}

#endif
