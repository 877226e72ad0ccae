/* SPDX-License-Identifier: MIT */
/* wnn_mmio.c - the "mmio" backend: the wnn_hw driver over the accelerator's registers mapped into
 * the process (a SoC whose CPU reaches wnn_top through a bus bridge: Zynq, a LiteX SoC, ...).
 *
 * Spec: "mmio:PATH[@OFFSET]". PATH /dev/uioN: a UIO device; its map 0 is mapped whole and the
 * registers start OFFSET bytes into it (default 0). Any other PATH (/dev/mem, a file): the 4 KiB
 * register window starts at byte OFFSET of PATH (for /dev/mem the physical address, e.g.
 * "mmio:/dev/mem@0x40000000"). Every access is one volatile, naturally aligned 32-bit load or
 * store; the device's bus errors are not visible this way (they still set STATUS.BUS_ERROR). Linux
 * only. */
#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wnn_hw.h"
#include "wnn_regmap.h"

#define WINDOW (1u << WNN_ADDR_BITS) /* bytes of the register map */

typedef struct mmio_map {
	int fd;
	void *base; /* the mapping */
	size_t map_len;
	volatile uint32_t *regs; /* the register window inside it */
	size_t window;		 /* its bytes */
} mmio_map;

static int mmio_read32(void *ctx, uint32_t addr, uint32_t *v)
{
	mmio_map *m = ctx;

	if ((addr & 3u) || addr >= m->window) {
		*v = 0;
		return WNN_ERR_BUS;
	}
	*v = m->regs[addr >> 2];
	return WNN_OK;
}

static int mmio_write32(void *ctx, uint32_t addr, uint32_t v)
{
	mmio_map *m = ctx;

	if ((addr & 3u) || addr >= m->window)
		return WNN_ERR_BUS;
	m->regs[addr >> 2] = v;
	return WNN_OK;
}

static void mmio_close_map(void *ctx)
{
	mmio_map *m = ctx;

	if (!m)
		return;
	if (m->base && m->base != MAP_FAILED)
		munmap(m->base, m->map_len);
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

/* Size of map 0 of /dev/uioN from sysfs, or 0 if path is not a UIO device. */
static size_t uio_map0_size(const char *path)
{
	const char *name = strrchr(path, '/');
	unsigned long long size = 0;
	unsigned n;
	char sys[96], tail;
	FILE *f;

	name = name ? name + 1 : path;
	if (sscanf(name, "uio%u%c", &n, &tail) != 1)
		return 0;
	snprintf(sys, sizeof(sys), "/sys/class/uio/uio%u/maps/map0/size", n);
	f = fopen(sys, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llx", &size) != 1)
		size = 0;
	fclose(f);
	return (size_t)size;
}

static int mmio_open(wnn_ctx *ctx, const char *arg, void **dev)
{
	char path[256];
	const char *at = strrchr(arg, '@');
	size_t len = at ? (size_t)(at - arg) : strlen(arg);
	unsigned long long offset = 0;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), uio;
	off_t map_off;
	size_t delta;
	mmio_map *m;
	wnn_bus bus = {.read32 = mmio_read32, .write32 = mmio_write32, .close = mmio_close_map};

	*dev = NULL;
	if (!len || len >= sizeof(path))
		return wnn_fail(ctx, WNN_ERR_INVALID,
				"use mmio:PATH[@OFFSET], e.g. mmio:/dev/uio0");
	memcpy(path, arg, len);
	path[len] = '\0';
	if (at) {
		char *end;
		errno = 0;
		offset = strtoull(at + 1, &end, 0);
		if (errno || end == at + 1 || *end || (offset & 3u))
			return wnn_fail(ctx, WNN_ERR_INVALID,
					"offset '%s' is not a multiple of 4 (decimal or 0x hex)",
					at + 1);
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return wnn_fail(ctx, WNN_ERR_NOMEM, "out of memory opening %s", path);
	m->fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (m->fd < 0) {
		int e = errno;
		free(m);
		return wnn_fail(ctx, WNN_ERR_IO, "cannot open %s: %s", path, strerror(e));
	}
	uio = uio_map0_size(path);
	if (uio) { /* UIO: map N is at offset N pages; map 0 whole, registers OFFSET into it */
		if (offset >= uio) {
			mmio_close_map(m);
			return wnn_fail(ctx, WNN_ERR_INVALID,
					"offset 0x%llX beyond map 0 of %s (%zu bytes)", offset,
					path, uio);
		}
		map_off = 0;
		delta = (size_t)offset;
		m->map_len = uio;
		m->window = uio - delta < WINDOW ? uio - delta : WINDOW;
	} else {
		map_off = (off_t)(offset & ~(unsigned long long)(page - 1u));
		delta = (size_t)(offset - (unsigned long long)map_off);
		m->map_len = (delta + WINDOW + page - 1u) & ~(page - 1u);
		m->window = WINDOW;
	}
	m->base = mmap(NULL, m->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, map_off);
	if (m->base == MAP_FAILED) {
		int e = errno;
		size_t map_len = m->map_len;
		mmio_close_map(m);
		return wnn_fail(ctx, WNN_ERR_IO, "cannot map %zu bytes of %s at 0x%llX: %s",
				map_len, path, (unsigned long long)map_off, strerror(e));
	}
	m->regs = (volatile uint32_t *)((uint8_t *)m->base + delta);
	bus.ctx = m;
	return wnn_hw_open(ctx, &bus, dev);
}

const wnn_backend_ops wnn_backend_mmio = WNN_HW_BACKEND_OPS("mmio", mmio_open);

#else
typedef int wnn_mmio_not_built; /* ISO C: a translation unit declares something */
#endif
