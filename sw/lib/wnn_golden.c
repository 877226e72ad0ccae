/* SPDX-License-Identifier: MIT */
/* wnn_golden.c - the golden backend: each agent is a wnn_model in host memory. */
#include <stdlib.h>

#include "wnn_backend.h"

static int golden_open(wnn_ctx *ctx, const char *arg, void **dev)
{
	if (arg && *arg)
		return wnn_fail(ctx, WNN_ERR_BACKEND, "golden backend takes no argument (got '%s')", arg);
	*dev = NULL;
	return WNN_OK;
}

static void golden_close(void *dev)
{
	(void)dev;
}

static int golden_agent_open(void *dev, const wnn_config *cfg, const wnn_group *groups,
			     uint32_t n_groups, void **slot)
{
	wnn_model *m = malloc(sizeof(*m));
	int err;

	(void)dev;
	(void)groups;
	(void)n_groups;
	if (!m)
		return WNN_ERR_NOMEM;
	err = wnn_model_init(m, cfg);
	if (err) {
		free(m);
		return err;
	}
	*slot = m;
	return WNN_OK;
}

static void golden_agent_close(void *dev, void *slot)
{
	(void)dev;
	wnn_model_free(slot);
	free(slot);
}

static int golden_train(void *dev, void *slot, uint64_t x, uint64_t y)
{
	(void)dev;
	return wnn_model_train(slot, x, y);
}

static int golden_predict(void *dev, void *slot, uint64_t x, uint64_t *z)
{
	(void)dev;
	*z = wnn_model_predict(slot, x);
	return WNN_OK;
}

static int golden_step(void *dev, void *slot, uint64_t x)
{
	(void)dev;
	wnn_model_step(slot, x);
	return WNN_OK;
}

static int golden_reset_state(void *dev, void *slot)
{
	(void)dev;
	wnn_model_reset_state(slot);
	return WNN_OK;
}

static int golden_forget_rank(void *dev, void *slot, uint32_t rank)
{
	(void)dev;
	return wnn_model_forget_rank(slot, rank);
}

static int golden_forget_input(void *dev, void *slot, uint64_t x)
{
	(void)dev;
	return (int)wnn_model_forget_input(slot, x);
}

static int golden_clear(void *dev, void *slot)
{
	(void)dev;
	wnn_model_clear(slot);
	return WNN_OK;
}

static int golden_count(void *dev, void *slot, uint32_t *entries)
{
	(void)dev;
	*entries = ((wnn_model *)slot)->count;
	return WNN_OK;
}

static int golden_read_entry(void *dev, void *slot, uint32_t rank, uint64_t *x, uint64_t *y)
{
	wnn_model *m = slot;

	(void)dev;
	if (rank >= m->count)
		return WNN_ERR_RANGE;
	wnn_model_entry(m, rank, x, y);
	return WNN_OK;
}

static int golden_get_state(void *dev, void *slot, wnn_state *st)
{
	wnn_model *m = slot;

	(void)dev;
	st->q = m->q;
	st->z = m->z;
	st->prng = m->prng;
	return WNN_OK;
}

static int golden_set_state(void *dev, void *slot, const wnn_state *st)
{
	wnn_model *m = slot;

	(void)dev;
	m->q = st->q;
	m->z = st->z;
	m->prng = st->prng;
	return WNN_OK;
}

const wnn_backend_ops wnn_backend_golden = {
	.name = "golden",
	.open = golden_open,
	.close = golden_close,
	.agent_open = golden_agent_open,
	.agent_close = golden_agent_close,
	.train = golden_train,
	.predict = golden_predict,
	.step = golden_step,
	.reset_state = golden_reset_state,
	.forget_rank = golden_forget_rank,
	.forget_input = golden_forget_input,
	.clear = golden_clear,
	.count = golden_count,
	.read_entry = golden_read_entry,
	.get_state = golden_get_state,
	.set_state = golden_set_state,
	.last_cycles = NULL,
};
