/* SPDX-License-Identifier: MIT */
/* wnn_uart.h - internal: the "uart" backend's link statistics (docs/protocol.md).
 *
 * Spec: "uart:PATH[@BAUD][,timeout=MS][,retries=N]", e.g. "uart:/dev/ttyUSB1@921600". PATH is any
 * tty (a USB serial adapter, a pseudo-terminal of the simulator); BAUD defaults to 115200 (a
 * pseudo-terminal ignores it); MS is how long a response may take beyond its own wire time
 * (default 100; a response that stops for MS/4 after its first bytes is given up at once), N how
 * many times a request is sent again with the same SEQ before the call fails with
 * WNN_ERR_TIMEOUT (default 16). A repeated request is never executed twice by the bridge. */
#ifndef WNN_UART_H
#define WNN_UART_H

#include <stdint.h>

#include "wnn.h"

#define WNN_UART_DEFAULT_BAUD	    115200u
#define WNN_UART_DEFAULT_TIMEOUT_MS 100u
#define WNN_UART_DEFAULT_RETRIES    16u

typedef struct wnn_uart_stats {
	uint64_t requests; /* register accesses completed (one SEQ each) */
	uint64_t frames;   /* request frames sent, repeats included */
	uint64_t retries;  /* repeats: frames - requests, minus a failing last request */
	uint64_t timeouts; /* repeats because no response came in time */
	uint64_t naks;	   /* repeats because the device answered CRC_ERROR or TIMEOUT */
	uint64_t corrupt;  /* repeats because a response failed its CRC */
	uint64_t refused;  /* repeats because the device answered BAD_LENGTH or BAD_COMMAND */
	uint64_t stale;	   /* good responses with another SEQ (late answers to repeats), ignored */
	uint64_t bus_errors; /* accesses the device ended with BUS_ERROR */
	uint64_t bytes_sent, bytes_received, bytes_skipped; /* skipped: outside any good frame */
} wnn_uart_stats;

/* Copies the link counters of a context opened on the uart backend; WNN_ERR_UNSUPPORTED for
 * another backend. Needs no environment: call it whenever, e.g. after a run. */
int wnn_uart_get_stats(const wnn_ctx *ctx, wnn_uart_stats *st);

#endif
