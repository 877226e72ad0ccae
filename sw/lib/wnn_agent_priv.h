/* SPDX-License-Identifier: MIT */
/* wnn_agent_priv.h - internal: the agent handle, shared by wnn_agent.c and wnn_save.c. */
#ifndef WNN_AGENT_PRIV_H
#define WNN_AGENT_PRIV_H

#include "wnn_backend.h"

#if defined(WNN_HAVE_VERILATOR) && defined(__linux__)
#define WNN_BACKENDS_BUILT_IN "golden, verilator, uart, mmio"
#elif defined(WNN_HAVE_VERILATOR)
#define WNN_BACKENDS_BUILT_IN "golden, verilator"
#elif defined(__linux__)
#define WNN_BACKENDS_BUILT_IN "golden, uart, mmio"
#else
#define WNN_BACKENDS_BUILT_IN "golden"
#endif

struct wnn_agent {
	wnn_ctx *ctx;
	wnn_config cfg;
	uint32_t n_groups;
	wnn_group groups[WNN_MAX_GROUPS];
	void *slot;
	uint64_t trains, predictions, evictions;
	struct wnn_agent *prev, *next;
};

/* Copies the agent's stored entries into a fresh host model m (caller frees with wnn_model_free). */
int wnn__mirror(wnn_agent *a, wnn_model *m);

#endif
