/* SPDX-License-Identifier: MIT */
/* wnn_agent.c - contexts, agents and their operations, the same over every backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wnn_agent_priv.h"

static const wnn_backend_ops *const backends[] = {
	&wnn_backend_golden,
#ifdef WNN_HAVE_VERILATOR
	&wnn_backend_verilator,
#endif
#ifdef __linux__
	&wnn_backend_uart,
	&wnn_backend_mmio,
#endif
};

const char *wnn_strerror(int err)
{
	switch (err) {
	case WNN_OK: return "success";
	case WNN_ERR_INVALID: return "invalid argument";
	case WNN_ERR_NOMEM: return "out of memory";
	case WNN_ERR_FULL: return "agent memory full";
	case WNN_ERR_RANGE: return "index out of range";
	case WNN_ERR_IO: return "input/output error";
	case WNN_ERR_FORMAT: return "malformed saved agent";
	case WNN_ERR_CHECKSUM: return "checksum mismatch";
	case WNN_ERR_BACKEND: return "backend unavailable or failed";
	case WNN_ERR_UNSUPPORTED: return "not supported by this backend";
	case WNN_ERR_NO_SLOT: return "no free agent slot on the device";
	case WNN_ERR_TIMEOUT: return "device timeout";
	case WNN_ERR_DEVICE: return "device reported an error";
	case WNN_ERR_BUS: return "bus error";
	default: return "unknown error";
	}
}

int wnn_fail(wnn_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	if (ctx) {
		va_start(ap, fmt);
		vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
		va_end(ap);
	}
	return err;
}

int wnn_ctx_open(wnn_ctx **out, const char *spec, char *errbuf, size_t errlen)
{
	const wnn_backend_ops *ops = NULL;
	const char *colon, *arg;
	size_t name_len;
	wnn_ctx *ctx;
	int err;

	*out = NULL;
	if (!spec)
		spec = "golden";
	colon = strchr(spec, ':');
	name_len = colon ? (size_t)(colon - spec) : strlen(spec);
	arg = colon ? colon + 1 : "";
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strlen(backends[i]->name) == name_len &&
		    !strncmp(backends[i]->name, spec, name_len))
			ops = backends[i];
	if (!ops) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "unknown or unavailable backend '%s' (built in: %s)",
				 spec, WNN_BACKENDS_BUILT_IN);
		return WNN_ERR_BACKEND;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return WNN_ERR_NOMEM;
	ctx->ops = ops;
	err = ops->open(ctx, arg, &ctx->dev);
	if (err) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: %s", spec,
				 ctx->errmsg[0] ? ctx->errmsg : wnn_strerror(err));
		free(ctx);
		return err;
	}
	*out = ctx;
	return WNN_OK;
}

void wnn_ctx_close(wnn_ctx *ctx)
{
	if (!ctx)
		return;
	while (ctx->agents)
		wnn_agent_free(ctx->agents);
	ctx->ops->close(ctx->dev);
	free(ctx);
}

const char *wnn_ctx_errmsg(const wnn_ctx *ctx)
{
	return ctx ? ctx->errmsg : "";
}

const char *wnn_ctx_backend(const wnn_ctx *ctx)
{
	return ctx->ops->name;
}

int wnn_agent_create(wnn_ctx *ctx, const wnn_config *cfg, wnn_agent **out)
{
	wnn_agent *a;
	int err;

	*out = NULL;
	if (wnn_config_check(cfg))
		return wnn_fail(ctx, WNN_ERR_INVALID, "invalid agent configuration");
	a = calloc(1, sizeof(*a));
	if (!a)
		return wnn_fail(ctx, WNN_ERR_NOMEM, "out of memory creating an agent");
	a->ctx = ctx;
	a->cfg = *cfg;
	err = wnn_compile_groups(cfg, a->groups, &a->n_groups);
	if (!err)
		err = ctx->ops->agent_open(ctx->dev, cfg, a->groups, a->n_groups, &a->slot);
	if (err) {
		free(a);
		if (!ctx->errmsg[0] || err == WNN_ERR_NOMEM)
			wnn_fail(ctx, err, "cannot create agent: %s", wnn_strerror(err));
		return err;
	}
	a->next = ctx->agents;
	if (ctx->agents)
		ctx->agents->prev = a;
	ctx->agents = a;
	*out = a;
	return WNN_OK;
}

void wnn_agent_free(wnn_agent *a)
{
	wnn_ctx *ctx;

	if (!a)
		return;
	ctx = a->ctx;
	ctx->ops->agent_close(ctx->dev, a->slot);
	if (a->prev)
		a->prev->next = a->next;
	else
		ctx->agents = a->next;
	if (a->next)
		a->next->prev = a->prev;
	free(a);
}

const wnn_config *wnn_agent_config(const wnn_agent *a)
{
	return &a->cfg;
}

static int check_x(wnn_agent *a, uint64_t x)
{
	if (x & ~wnn_bits_mask(a->cfg.in_bits))
		return wnn_fail(a->ctx, WNN_ERR_INVALID,
				"input 0x%llx has bits above in_bits=%u",
				(unsigned long long)x, a->cfg.in_bits);
	return WNN_OK;
}

int wnn_train(wnn_agent *a, uint64_t x, uint64_t y)
{
	int r = check_x(a, x);

	if (r)
		return r;
	if (y & ~wnn_bits_mask(a->cfg.out_bits))
		return wnn_fail(a->ctx, WNN_ERR_INVALID, "label 0x%llx has bits above out_bits=%u",
				(unsigned long long)y, a->cfg.out_bits);
	r = a->ctx->ops->train(a->ctx->dev, a->slot, x, y);
	if (r == WNN_ERR_FULL)
		return wnn_fail(a->ctx, r, "agent full: %u of %u entries used, overflow policy reject",
				a->cfg.capacity, a->cfg.capacity);
	if (r < 0)
		return r;
	a->trains++;
	a->evictions += (uint64_t)r;
	return WNN_OK;
}

int wnn_predict(wnn_agent *a, uint64_t x, uint64_t *z)
{
	int r = check_x(a, x);

	if (r)
		return r;
	r = a->ctx->ops->predict(a->ctx->dev, a->slot, x, z);
	if (!r)
		a->predictions++;
	return r;
}

int wnn_step(wnn_agent *a, uint64_t x, uint64_t *q, uint64_t *z)
{
	wnn_state st;
	int r = check_x(a, x);

	if (!r)
		r = a->ctx->ops->step(a->ctx->dev, a->slot, x);
	if (!r && (q || z))
		r = a->ctx->ops->get_state(a->ctx->dev, a->slot, &st);
	if (r)
		return r;
	if (q)
		*q = st.q;
	if (z)
		*z = st.z;
	return WNN_OK;
}

int wnn_reset_state(wnn_agent *a)
{
	return a->ctx->ops->reset_state(a->ctx->dev, a->slot);
}

int wnn_forget_entry(wnn_agent *a, uint32_t rank)
{
	int r = a->ctx->ops->forget_rank(a->ctx->dev, a->slot, rank);

	if (r == WNN_ERR_RANGE)
		return wnn_fail(a->ctx, r, "no entry of rank %u", rank);
	return r;
}

int wnn_forget_input(wnn_agent *a, uint64_t x)
{
	int r = check_x(a, x);

	return r ? r : a->ctx->ops->forget_input(a->ctx->dev, a->slot, x);
}

int wnn_clear(wnn_agent *a)
{
	return a->ctx->ops->clear(a->ctx->dev, a->slot);
}

int wnn_read_entry(wnn_agent *a, uint32_t rank, uint64_t *x, uint64_t *y)
{
	int r = a->ctx->ops->read_entry(a->ctx->dev, a->slot, rank, x, y);

	if (r == WNN_ERR_RANGE)
		return wnn_fail(a->ctx, r, "no entry of rank %u", rank);
	return r;
}

int wnn_get_state(wnn_agent *a, wnn_state *st)
{
	return a->ctx->ops->get_state(a->ctx->dev, a->slot, st);
}

int wnn_get_stats(wnn_agent *a, wnn_stats *st)
{
	int r;

	memset(st, 0, sizeof(*st));
	r = a->ctx->ops->count(a->ctx->dev, a->slot, &st->entries);
	if (r)
		return r;
	st->capacity = a->cfg.capacity;
	st->trains = a->trains;
	st->predictions = a->predictions;
	st->evictions = a->evictions;
	if (a->ctx->ops->last_cycles)
		return a->ctx->ops->last_cycles(a->ctx->dev, a->slot, &st->last_cycles);
	return WNN_OK;
}

/* Rebuilds the agent's entries in a host model (the same rules as every backend). */
int wnn__mirror(wnn_agent *a, wnn_model *m)
{
	uint32_t n;
	int r = wnn_model_init(m, &a->cfg);

	if (r)
		return r;
	r = a->ctx->ops->count(a->ctx->dev, a->slot, &n);
	for (uint32_t i = 0; !r && i < n; i++) {
		uint64_t x, y;
		r = a->ctx->ops->read_entry(a->ctx->dev, a->slot, i, &x, &y);
		if (!r)
			r = wnn_model_train(m, x, y) < 0 ? WNN_ERR_FORMAT : WNN_OK;
	}
	if (r)
		wnn_model_free(m);
	return r;
}

int wnn_explain(wnn_agent *a, uint64_t x, wnn_explanation *ex)
{
	wnn_group_result res[WNN_MAX_GROUPS];
	uint32_t ones[WNN_MAX_BITS];
	uint64_t pre_q, pre_z;
	wnn_model m;
	int r;

	memset(ex, 0, sizeof(*ex));
	r = check_x(a, x);
	if (r)
		return r;
	r = wnn__mirror(a, &m);
	if (r)
		return r;
	/* §7 with the last step unrolled, to keep the state it read (§9). */
	m.prng = wnn_prng_seed(m.cfg.seed ^ x);
	wnn_model_reset_state(&m);
	for (uint32_t s = 0; s + 1 < m.cfg.settle_steps; s++)
		wnn_model_step(&m, x);
	pre_q = m.q;
	pre_z = m.z;
	wnn_model_step(&m, x);
	ex->z = m.z;
	ex->out_bits = m.cfg.out_bits;
	wnn_model_search(&m, WNN_LAYER_Z, x, pre_q, pre_z, res, ones);
	for (uint32_t g = 0; g < m.n_groups; g++) {
		if (m.group[g].layer != WNN_LAYER_Z)
			continue;
		for (uint64_t bits = m.group[g].members; bits; bits &= bits - 1u) {
			uint32_t b = (uint32_t)__builtin_ctzll(bits);
			wnn_bit_reason *br = &ex->bit[b];
			br->distance = (uint16_t)res[g].distance;
			br->group = (uint16_t)g;
			br->votes_one = ones[b];
			br->votes_zero = res[g].nearest - ones[b];
			br->tie = 2u * (uint64_t)ones[b] == res[g].nearest;
			br->value = (uint8_t)((m.z >> b) & 1u);
		}
	}
	if (m.count) {
		ex->rank = malloc(m.count * sizeof(*ex->rank));
		ex->bits = malloc(m.count * sizeof(*ex->bits));
		ex->x = malloc(m.count * sizeof(*ex->x));
		ex->y = malloc(m.count * sizeof(*ex->y));
		if (!ex->rank || !ex->bits || !ex->x || !ex->y) {
			wnn_model_free(&m);
			wnn_explanation_free(ex);
			return wnn_fail(a->ctx, WNN_ERR_NOMEM, "out of memory explaining");
		}
	}
	for (uint32_t i = 0; i < m.count; i++) {
		uint64_t ex_x, ex_y, bits = 0;
		wnn_model_entry(&m, i, &ex_x, &ex_y);
		for (uint32_t g = 0; g < m.n_groups; g++)
			if (m.group[g].layer == WNN_LAYER_Z && res[g].nearest &&
			    wnn_model_distance(&m.group[g], x, pre_q, pre_z, ex_x, ex_y) ==
				    res[g].distance)
				bits |= m.group[g].members;
		if (bits) {
			ex->rank[ex->n_entries] = i;
			ex->bits[ex->n_entries] = bits;
			ex->x[ex->n_entries] = ex_x;
			ex->y[ex->n_entries] = ex_y;
			ex->n_entries++;
		}
	}
	wnn_model_free(&m);
	return WNN_OK;
}

void wnn_explanation_free(wnn_explanation *ex)
{
	free(ex->rank);
	free(ex->bits);
	free(ex->x);
	free(ex->y);
	ex->rank = NULL;
	ex->bits = NULL;
	ex->x = ex->y = NULL;
	ex->n_entries = 0;
}
