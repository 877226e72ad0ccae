/* SPDX-License-Identifier: MIT */
/* wnn_model.c - the golden model. Every rule is in docs/algorithm.md; section numbers point there. */
#include <stdlib.h>
#include <string.h>

#include "wnn_model.h"

int wnn_model_init(wnn_model *m, const wnn_config *cfg)
{
	int err;

	memset(m, 0, sizeof(*m));
	err = wnn_compile_groups(cfg, m->group, &m->n_groups);
	if (err)
		return err;
	m->cfg = *cfg;
	m->x = calloc(cfg->capacity, sizeof(*m->x));
	m->y = calloc(cfg->capacity, sizeof(*m->y));
	if (!m->x || !m->y) {
		wnn_model_free(m);
		return WNN_ERR_NOMEM;
	}
	m->prng = wnn_prng_seed(cfg->seed);
	return WNN_OK;
}

void wnn_model_free(wnn_model *m)
{
	free(m->x);
	free(m->y);
	m->x = m->y = NULL;
	m->count = 0;
}

static uint32_t slot_of(const wnn_model *m, uint32_t rank)
{
	uint64_t s = (uint64_t)m->base + rank;
	return (uint32_t)(s % m->cfg.capacity);
}

void wnn_model_entry(const wnn_model *m, uint32_t rank, uint64_t *x, uint64_t *y)
{
	uint32_t s = slot_of(m, rank);
	*x = m->x[s];
	*y = m->y[s];
}

int wnn_model_train(wnn_model *m, uint64_t x, uint64_t y)
{
	int evicted = 0;
	uint32_t s;

	if (m->count == m->cfg.capacity) {
		if (m->cfg.overflow == WNN_OVERFLOW_REJECT)
			return WNN_ERR_FULL;
		m->base = slot_of(m, 1);
		m->count--;
		evicted = 1;
	}
	s = slot_of(m, m->count);
	m->x[s] = x;
	m->y[s] = y;
	m->count++;
	m->q = x; /* §6: the trained pair becomes the state */
	m->z = y;
	return evicted;
}

void wnn_model_reset_state(wnn_model *m)
{
	if (m->cfg.reset == WNN_RESET_RANDOM) {
		m->q = wnn_prng_next(&m->prng) & wnn_bits_mask(m->cfg.in_bits);
		m->z = wnn_prng_next(&m->prng) & wnn_bits_mask(m->cfg.out_bits);
	} else {
		m->q = 0;
		m->z = 0;
	}
}

uint32_t wnn_model_distance(const wnn_group *g, uint64_t x, uint64_t q, uint64_t z, uint64_t ex,
			    uint64_t ey)
{
	/* §4.2: Q neurons compare (x, q) with (ex, ex); Z neurons compare (q, z) with (ex, ey). */
	uint64_t da = g->layer == WNN_LAYER_Q ? x ^ ex : q ^ ex;
	uint64_t db = g->layer == WNN_LAYER_Q ? q ^ ex : z ^ ey;
	return wnn_popcount64(da & g->mask_a) + wnn_popcount64(db & g->mask_b);
}

void wnn_model_search(const wnn_model *m, uint32_t layer, uint64_t x, uint64_t q, uint64_t z,
		      wnn_group_result *res, uint32_t ones[WNN_MAX_BITS])
{
	const wnn_group *layer_groups[WNN_MAX_GROUPS];
	uint32_t index[WNN_MAX_GROUPS], n = 0, threshold = m->cfg.threshold;
	uint32_t slot = m->base;

	memset(ones, 0, WNN_MAX_BITS * sizeof(*ones));
	for (uint32_t g = 0; g < m->n_groups; g++) {
		res[g].distance = WNN_NO_MATCH;
		res[g].nearest = 0;
		if (m->group[g].layer == layer) {
			layer_groups[n] = &m->group[g];
			index[n++] = g;
		}
	}
	for (uint32_t r = 0; r < m->count; r++) {
		uint64_t ex = m->x[slot], ey = m->y[slot];
		uint64_t target = layer == WNN_LAYER_Q ? ex : ey;
		if (++slot == m->cfg.capacity)
			slot = 0;
		for (uint32_t k = 0; k < n; k++) {
			const wnn_group *grp = layer_groups[k];
			wnn_group_result *gr = &res[index[k]];
			uint32_t d = wnn_model_distance(grp, x, q, z, ex, ey);
			uint64_t bits;
			if (d > threshold || d > gr->distance)
				continue;
			if (d < gr->distance) {
				gr->distance = d;
				gr->nearest = 0;
				for (bits = grp->members; bits; bits &= bits - 1u)
					ones[__builtin_ctzll(bits)] = 0;
			}
			gr->nearest++;
			for (bits = grp->members & target; bits; bits &= bits - 1u)
				ones[__builtin_ctzll(bits)]++;
		}
	}
}

/* §4.3: majority of the nearest entries; an even split (or no match) goes to the tie rule. */
static uint64_t vote(const wnn_model *m, uint32_t layer, const wnn_group_result *res,
		     const uint32_t ones[WNN_MAX_BITS], uint64_t tie_word)
{
	uint64_t out = 0;

	for (uint32_t g = 0; g < m->n_groups; g++) {
		const wnn_group *grp = &m->group[g];
		if (grp->layer != layer)
			continue;
		for (uint64_t bits = grp->members; bits; bits &= bits - 1u) {
			uint32_t b = (uint32_t)__builtin_ctzll(bits);
			uint64_t twice_ones = 2u * (uint64_t)ones[b];
			uint64_t bit = UINT64_C(1) << b;
			if (twice_ones > res[g].nearest)
				out |= bit;
			else if (twice_ones == res[g].nearest && m->cfg.tie == WNN_TIE_RANDOM)
				out |= tie_word & bit;
		}
	}
	return out;
}

void wnn_model_step(wnn_model *m, uint64_t x)
{
	wnn_group_result res[WNN_MAX_GROUPS];
	uint32_t ones[WNN_MAX_BITS];
	uint64_t tie_q = wnn_prng_next(&m->prng);
	uint64_t tie_z = wnn_prng_next(&m->prng);
	uint64_t q, z;

	wnn_model_search(m, WNN_LAYER_Q, x, m->q, m->z, res, ones);
	q = vote(m, WNN_LAYER_Q, res, ones, tie_q);
	wnn_model_search(m, WNN_LAYER_Z, x, m->q, m->z, res, ones);
	z = vote(m, WNN_LAYER_Z, res, ones, tie_z);
	m->q = q; /* §4: both layers read the state before the step */
	m->z = z;
}

uint64_t wnn_model_predict(wnn_model *m, uint64_t x)
{
	m->prng = wnn_prng_seed(m->cfg.seed ^ x);
	wnn_model_reset_state(m);
	for (uint32_t s = 0; s < m->cfg.settle_steps; s++)
		wnn_model_step(m, x);
	return m->z;
}

/* §8: removal keeps the survivors' age order: one pass that copies each kept entry down. */
static uint32_t compact(wnn_model *m, uint32_t from_rank, int by_input, uint64_t x)
{
	uint32_t w = from_rank, removed = 0;

	for (uint32_t r = from_rank; r < m->count; r++) {
		uint64_t ex, ey;
		int drop;
		wnn_model_entry(m, r, &ex, &ey);
		drop = by_input ? ex == x : r == from_rank;
		if (drop) {
			removed++;
			continue;
		}
		if (w != r) {
			uint32_t s = slot_of(m, w);
			m->x[s] = ex;
			m->y[s] = ey;
		}
		w++;
	}
	m->count = w;
	return removed;
}

int wnn_model_forget_rank(wnn_model *m, uint32_t rank)
{
	if (rank >= m->count)
		return WNN_ERR_RANGE;
	compact(m, rank, 0, 0);
	return WNN_OK;
}

uint32_t wnn_model_forget_input(wnn_model *m, uint64_t x)
{
	return compact(m, 0, 1, x);
}

void wnn_model_clear(wnn_model *m)
{
	m->base = 0;
	m->count = 0;
}
