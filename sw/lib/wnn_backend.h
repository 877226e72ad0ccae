/* SPDX-License-Identifier: MIT */
/* wnn_backend.h - internal: the operations every backend provides, and the context they share.
 *
 * The golden backend runs the C model; the hardware backends (verilator, uart, mmio) implement the
 * same table with one register-level driver over a bus (wnn_bus.h), so that they differ only in how
 * a 32-bit register is read or written. Agent-level logic (argument checks, statistics, explain,
 * save/load) lives above this table, in wnn_agent.c, and is the same for every backend. */
#ifndef WNN_BACKEND_H
#define WNN_BACKEND_H

#include <stdarg.h>
#include <stdint.h>

#include "wnn.h"
#include "wnn_model.h"

typedef struct wnn_backend_ops {
	const char *name;
	/* arg: what followed "name:" in the spec ("" if nothing). *dev receives backend state. */
	int (*open)(wnn_ctx *ctx, const char *arg, void **dev);
	void (*close)(void *dev);
	/* An agent's device side: groups are cfg's connectivity compiled by wnn_compile_groups. */
	int (*agent_open)(void *dev, const wnn_config *cfg, const wnn_group *groups,
			  uint32_t n_groups, void **slot);
	void (*agent_close)(void *dev, void *slot);
	int (*train)(void *dev, void *slot, uint64_t x, uint64_t y); /* 0, 1 (evicted) or error */
	int (*predict)(void *dev, void *slot, uint64_t x, uint64_t *z);
	int (*step)(void *dev, void *slot, uint64_t x);
	int (*reset_state)(void *dev, void *slot);
	int (*forget_rank)(void *dev, void *slot, uint32_t rank);
	int (*forget_input)(void *dev, void *slot, uint64_t x); /* entries removed, or error */
	int (*clear)(void *dev, void *slot);
	int (*count)(void *dev, void *slot, uint32_t *entries);
	int (*read_entry)(void *dev, void *slot, uint32_t rank, uint64_t *x, uint64_t *y);
	int (*get_state)(void *dev, void *slot, wnn_state *st);
	int (*set_state)(void *dev, void *slot, const wnn_state *st);
	/* Clock cycles of the slot's last operation; NULL where nothing is measured. */
	int (*last_cycles)(void *dev, void *slot, uint64_t *cycles);
} wnn_backend_ops;

extern const wnn_backend_ops wnn_backend_golden;
#ifdef WNN_HAVE_VERILATOR
extern const wnn_backend_ops wnn_backend_verilator;
#endif
#ifdef __linux__
extern const wnn_backend_ops wnn_backend_uart; /* wnn_uart.c */
extern const wnn_backend_ops wnn_backend_mmio; /* wnn_mmio.c */
#endif

struct wnn_agent;

struct wnn_ctx {
	const wnn_backend_ops *ops;
	void *dev;
	struct wnn_agent *agents; /* open agents, freed by wnn_ctx_close */
	char errmsg[512];
};

/* Records a detail in ctx and returns err, so `return wnn_fail(ctx, WNN_ERR_IO, "...")` reads. */
int wnn_fail(wnn_ctx *ctx, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
