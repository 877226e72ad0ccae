/* SPDX-License-Identifier: MIT */
/* wnn_save.c - saved agents: the file layout of docs/algorithm.md §10, written atomically. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wnn_agent_priv.h"

#define SAVE_MAGIC "WNNA"
#define SAVE_VERSION 1u
#define SAVE_HEADER_BYTES 160u /* fixed part, before the entries */
#define SAVE_ENTRY_BYTES 16u
#define SAVE_CRC_BYTES 4u

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Field offsets of the fixed part (§10). */
enum {
	OFF_MAGIC = 0, OFF_VERSION = 4, OFF_HEADER_BYTES = 6, OFF_IN_BITS = 8, OFF_OUT_BITS = 9,
	OFF_CONN = 10, OFF_RECURRENT = 11, OFF_TIE = 12, OFF_RESET = 13, OFF_OVERFLOW = 14,
	OFF_N_CHANNELS = 15, OFF_CHANNELS = 16, OFF_RANDOM_K = 80, OFF_CONN_SEED = 84,
	OFF_CAPACITY = 92, OFF_SETTLE = 96, OFF_THRESHOLD = 100, OFF_SEED = 104, OFF_Q = 112,
	OFF_Z = 120, OFF_PRNG = 128, OFF_TRAINS = 136, OFF_PREDICTIONS = 144, OFF_COUNT = 152,
	OFF_RESERVED = 156,
};

int wnn_agent_save(wnn_agent *a, const char *path)
{
	wnn_ctx *ctx = a->ctx;
	const wnn_config *c = &a->cfg;
	wnn_state st;
	uint32_t n;
	uint8_t *buf;
	size_t size = 0;
	char *tmp;
	FILE *f;
	int fd, r;

	r = ctx->ops->count(ctx->dev, a->slot, &n);
	if (!r)
		r = ctx->ops->get_state(ctx->dev, a->slot, &st);
	if (r)
		return r;
	size = SAVE_HEADER_BYTES + (size_t)n * SAVE_ENTRY_BYTES + SAVE_CRC_BYTES;
	buf = calloc(1, size);
	tmp = malloc(strlen(path) + 16);
	if (!buf || !tmp) {
		free(buf);
		free(tmp);
		return wnn_fail(ctx, WNN_ERR_NOMEM, "out of memory saving %s", path);
	}
	memcpy(buf + OFF_MAGIC, SAVE_MAGIC, 4);
	put_le(buf + OFF_VERSION, SAVE_VERSION, 2);
	put_le(buf + OFF_HEADER_BYTES, SAVE_HEADER_BYTES, 2);
	buf[OFF_IN_BITS] = (uint8_t)c->in_bits;
	buf[OFF_OUT_BITS] = (uint8_t)c->out_bits;
	buf[OFF_CONN] = (uint8_t)c->connectivity;
	buf[OFF_RECURRENT] = (uint8_t)c->recurrent;
	buf[OFF_TIE] = (uint8_t)c->tie;
	buf[OFF_RESET] = (uint8_t)c->reset;
	buf[OFF_OVERFLOW] = (uint8_t)c->overflow;
	buf[OFF_N_CHANNELS] = (uint8_t)c->n_channels;
	memcpy(buf + OFF_CHANNELS, c->channel_bits, WNN_MAX_CHANNELS);
	put_le(buf + OFF_RANDOM_K, c->random_k, 4);
	put_le(buf + OFF_CONN_SEED, c->conn_seed, 8);
	put_le(buf + OFF_CAPACITY, c->capacity, 4);
	put_le(buf + OFF_SETTLE, c->settle_steps, 4);
	put_le(buf + OFF_THRESHOLD, c->threshold, 4);
	put_le(buf + OFF_SEED, c->seed, 8);
	put_le(buf + OFF_Q, st.q, 8);
	put_le(buf + OFF_Z, st.z, 8);
	put_le(buf + OFF_PRNG, st.prng, 8);
	put_le(buf + OFF_TRAINS, a->trains, 8);
	put_le(buf + OFF_PREDICTIONS, a->predictions, 8);
	put_le(buf + OFF_COUNT, n, 4);
	for (uint32_t i = 0; i < n && !r; i++) {
		uint64_t x, y;
		r = ctx->ops->read_entry(ctx->dev, a->slot, i, &x, &y);
		put_le(buf + SAVE_HEADER_BYTES + (size_t)i * SAVE_ENTRY_BYTES, x, 8);
		put_le(buf + SAVE_HEADER_BYTES + (size_t)i * SAVE_ENTRY_BYTES + 8, y, 8);
	}
	put_le(buf + size - SAVE_CRC_BYTES, crc32_ieee(buf, size - SAVE_CRC_BYTES), 4);
	if (r) {
		free(buf);
		free(tmp);
		return r;
	}

	/* temp file in the same directory, then rename: a reader sees the old or the new file */
	sprintf(tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		r = wnn_fail(ctx, WNN_ERR_IO, "%s: cannot create temporary file: %s", path,
			     strerror(errno));
		goto out;
	}
	f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(tmp);
		r = wnn_fail(ctx, WNN_ERR_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fwrite(buf, 1, size, f) != size || fflush(f) || fsync(fileno(f))) {
		r = wnn_fail(ctx, WNN_ERR_IO, "%s: write failed: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) || rename(tmp, path)) {
		r = wnn_fail(ctx, WNN_ERR_IO, "%s: cannot replace: %s", path, strerror(errno));
		unlink(tmp);
	}
out:
	free(buf);
	free(tmp);
	return r;
}

static int read_file(wnn_ctx *ctx, const char *path, uint8_t **out, size_t *size)
{
	/* the largest legal file: a full agent of maximum capacity */
	const size_t limit = SAVE_HEADER_BYTES + (size_t)WNN_MAX_CAPACITY * SAVE_ENTRY_BYTES +
			     SAVE_CRC_BYTES;
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n = 0, cap = 4096;

	if (!f)
		return wnn_fail(ctx, WNN_ERR_IO, "%s: %s", path, strerror(errno));
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap > limit) {
			free(buf);
			fclose(f);
			return wnn_fail(ctx, WNN_ERR_FORMAT, "%s: larger than any saved agent", path);
		}
		uint8_t *bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	if (!buf || ferror(f)) {
		int io = buf != NULL;
		free(buf);
		fclose(f);
		return io ? wnn_fail(ctx, WNN_ERR_IO, "%s: read error", path)
			  : wnn_fail(ctx, WNN_ERR_NOMEM, "%s: out of memory", path);
	}
	fclose(f);
	*out = buf;
	*size = n;
	return WNN_OK;
}

static int parse(wnn_ctx *ctx, const char *path, const uint8_t *buf, size_t size, wnn_config *c,
		 wnn_state *st, uint32_t *count)
{
	uint32_t stored_crc, crc;
	uint64_t expect;

	if (size < SAVE_HEADER_BYTES + SAVE_CRC_BYTES || memcmp(buf, SAVE_MAGIC, 4))
		return wnn_fail(ctx, WNN_ERR_FORMAT, "%s: not a saved wnn agent (%s)", path,
				size < SAVE_HEADER_BYTES + SAVE_CRC_BYTES ? "too short" : "bad magic");
	if (get_le(buf + OFF_VERSION, 2) != SAVE_VERSION ||
	    get_le(buf + OFF_HEADER_BYTES, 2) != SAVE_HEADER_BYTES)
		return wnn_fail(ctx, WNN_ERR_FORMAT, "%s: format version %u, this library reads %u",
				path, (unsigned)get_le(buf + OFF_VERSION, 2), SAVE_VERSION);
	*count = (uint32_t)get_le(buf + OFF_COUNT, 4);
	expect = SAVE_HEADER_BYTES + (uint64_t)*count * SAVE_ENTRY_BYTES + SAVE_CRC_BYTES;
	if (expect != size)
		return wnn_fail(ctx, WNN_ERR_FORMAT, "%s: %zu bytes, %u entries need %llu (truncated?)",
				path, size, *count, (unsigned long long)expect);
	stored_crc = (uint32_t)get_le(buf + size - SAVE_CRC_BYTES, 4);
	crc = crc32_ieee(buf, size - SAVE_CRC_BYTES);
	if (stored_crc != crc)
		return wnn_fail(ctx, WNN_ERR_CHECKSUM, "%s: CRC-32 0x%08x, contents give 0x%08x",
				path, stored_crc, crc);
	memset(c, 0, sizeof(*c));
	c->in_bits = buf[OFF_IN_BITS];
	c->out_bits = buf[OFF_OUT_BITS];
	c->connectivity = (wnn_connectivity)buf[OFF_CONN];
	c->recurrent = buf[OFF_RECURRENT];
	c->tie = (wnn_tie_policy)buf[OFF_TIE];
	c->reset = (wnn_reset_policy)buf[OFF_RESET];
	c->overflow = (wnn_overflow_policy)buf[OFF_OVERFLOW];
	c->n_channels = buf[OFF_N_CHANNELS];
	memcpy(c->channel_bits, buf + OFF_CHANNELS, WNN_MAX_CHANNELS);
	c->random_k = (uint32_t)get_le(buf + OFF_RANDOM_K, 4);
	c->conn_seed = get_le(buf + OFF_CONN_SEED, 8);
	c->capacity = (uint32_t)get_le(buf + OFF_CAPACITY, 4);
	c->settle_steps = (uint32_t)get_le(buf + OFF_SETTLE, 4);
	c->threshold = (uint32_t)get_le(buf + OFF_THRESHOLD, 4);
	c->seed = get_le(buf + OFF_SEED, 8);
	st->q = get_le(buf + OFF_Q, 8);
	st->z = get_le(buf + OFF_Z, 8);
	st->prng = get_le(buf + OFF_PRNG, 8);
	if (wnn_config_check(c))
		return wnn_fail(ctx, WNN_ERR_FORMAT, "%s: invalid agent configuration", path);
	if (*count > c->capacity)
		return wnn_fail(ctx, WNN_ERR_FORMAT, "%s: %u entries exceed capacity %u", path,
				*count, c->capacity);
	if ((st->q & ~wnn_bits_mask(c->in_bits)) || (st->z & ~wnn_bits_mask(c->out_bits)) ||
	    st->prng == 0)
		return wnn_fail(ctx, WNN_ERR_FORMAT, "%s: invalid agent state", path);
	for (uint32_t i = 0; i < *count; i++) {
		const uint8_t *e = buf + SAVE_HEADER_BYTES + (size_t)i * SAVE_ENTRY_BYTES;
		if ((get_le(e, 8) & ~wnn_bits_mask(c->in_bits)) ||
		    (get_le(e + 8, 8) & ~wnn_bits_mask(c->out_bits)))
			return wnn_fail(ctx, WNN_ERR_FORMAT, "%s: entry %u wider than the agent",
					path, i);
	}
	return WNN_OK;
}

int wnn_agent_load(wnn_ctx *ctx, const char *path, wnn_agent **out)
{
	wnn_config c;
	wnn_state st;
	wnn_agent *a = NULL;
	uint8_t *buf = NULL;
	size_t size = 0;
	uint32_t count = 0;
	int r;

	*out = NULL;
	r = read_file(ctx, path, &buf, &size);
	if (r)
		return r;
	r = parse(ctx, path, buf, size, &c, &st, &count);
	if (!r)
		r = wnn_agent_create(ctx, &c, &a);
	for (uint32_t i = 0; !r && i < count; i++) {
		const uint8_t *e = buf + SAVE_HEADER_BYTES + (size_t)i * SAVE_ENTRY_BYTES;
		r = ctx->ops->train(ctx->dev, a->slot, get_le(e, 8), get_le(e + 8, 8));
		r = r > 0 ? WNN_OK : r;
	}
	if (!r)
		r = ctx->ops->set_state(ctx->dev, a->slot, &st);
	if (r) {
		wnn_agent_free(a);
		free(buf);
		return r;
	}
	a->trains = get_le(buf + OFF_TRAINS, 8);
	a->predictions = get_le(buf + OFF_PREDICTIONS, 8);
	free(buf);
	*out = a;
	return WNN_OK;
}
