/* SPDX-License-Identifier: MIT */
/* wnn_bus.h - internal: the transport every hardware backend shares. A bus moves one 32-bit
 * register at a byte address of the accelerator's map (docs/regmap.md); the register-level
 * driver (wnn_hw.c) is written once on top of it, so the simulator, a UART bridge and a memory
 * mapping differ only in these three functions (the LiteX CSR-bus idea). */
#ifndef WNN_BUS_H
#define WNN_BUS_H

#include <stdint.h>

typedef struct wnn_bus {
	void *ctx; /* the transport's state, passed back to every call */
	/* Return 0, or a negative WNN_ERR_* code: WNN_ERR_BUS when the slave terminated the access
	 * with an error, WNN_ERR_TIMEOUT when it did not answer, WNN_ERR_IO when the link failed.
	 */
	int (*read32)(void *ctx, uint32_t addr, uint32_t *v);
	int (*write32)(void *ctx, uint32_t addr, uint32_t v);
	void (*close)(void *ctx); /* frees ctx; may be NULL */
} wnn_bus;

#endif
