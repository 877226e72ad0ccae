/* SPDX-License-Identifier: MIT */
/* mf.c - biased matrix factorisation baseline (see baselines.h).
 *
 * r(u,i) ~ mu + b_u + b_i + p_u . q_i, mu fixed at the training mean, the rest learnt by SGD on
 *   sum (r - r^)^2 + reg (b_u^2 + b_i^2 + |p_u|^2 + |q_i|^2)
 * visiting the triples in a fresh seeded shuffle every epoch (the usual "Funk SVD" updates, with
 * p_u and q_i both updated from their old values). Deterministic for a given seed and input order.
 */
#include "baselines.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MF_MAX_FACTORS 1024u
#define MF_INIT_SCALE 0.1f /* factor init: uniform +-MF_INIT_SCALE / sqrt(factors) */

struct mf_model {
	uint32_t n_users, n_items, k;
	float mu;
	float *bu, *bi; /* biases */
	float *P, *Q;   /* n_users x k, n_items x k, row-major */
	uint8_t *user_seen, *item_seen;
};

void mf_params_default(mf_params *p)
{
	if (!p)
		return;
	p->factors = 16;
	p->epochs = 30;
	p->lr = 0.01f;
	p->reg = 0.05f;
	p->seed = 0x5eed5eed5eedULL;
}


static float clamp_rating(float r)
{
	if (!(r >= 0.5f))
		return 0.5f;
	return r > 5.0f ? 5.0f : r;
}

void mf_free(mf_model *m)
{
	if (!m)
		return;
	free(m->bu);
	free(m->bi);
	free(m->P);
	free(m->Q);
	free(m->user_seen);
	free(m->item_seen);
	free(m);
}

mf_model *mf_train(const mf_triple *r, size_t n, uint32_t n_users, uint32_t n_items,
		   const mf_params *p)
{
	if (!r || !p || n == 0 || n > UINT32_MAX || n_users == 0 || n_items == 0 ||
	    p->factors > MF_MAX_FACTORS || !(p->lr > 0.0f) || !isfinite(p->lr) ||
	    !(p->reg >= 0.0f) || !isfinite(p->reg))
		return NULL;
	const size_t k = p->factors;
	if ((size_t)n_users > SIZE_MAX / sizeof(float) / (k ? k : 1) ||
	    (size_t)n_items > SIZE_MAX / sizeof(float) / (k ? k : 1) ||
	    n > SIZE_MAX / sizeof(mf_triple))
		return NULL;
	double sum = 0.0;
	for (size_t t = 0; t < n; t++) {
		if (r[t].user >= n_users || r[t].item >= n_items || !isfinite(r[t].rating))
			return NULL;
		sum += r[t].rating;
	}

	mf_model *m = calloc(1, sizeof *m);
	mf_triple *work = malloc(n * sizeof *work);
	if (!m || !work)
		goto fail;
	m->n_users = n_users;
	m->n_items = n_items;
	m->k = (uint32_t)k;
	m->mu = (float)(sum / (double)n);
	m->bu = calloc(n_users, sizeof(float));
	m->bi = calloc(n_items, sizeof(float));
	m->P = malloc((size_t)n_users * (k ? k : 1) * sizeof(float));
	m->Q = malloc((size_t)n_items * (k ? k : 1) * sizeof(float));
	m->user_seen = calloc(n_users, 1);
	m->item_seen = calloc(n_items, 1);
	if (!m->bu || !m->bi || !m->P || !m->Q || !m->user_seen || !m->item_seen)
		goto fail;

	uint64_t rng = p->seed ^ 0xd1b54a32d192ed03ULL;
	if (rng == 0)
		rng = 0x2545f4914f6cdd1dULL;
	const float a = k ? MF_INIT_SCALE / sqrtf((float)k) : 0.0f;
	for (size_t q = 0; q < (size_t)n_users * k; q++)
		m->P[q] = rng_uniform(&rng, a);
	for (size_t q = 0; q < (size_t)n_items * k; q++)
		m->Q[q] = rng_uniform(&rng, a);
	for (size_t t = 0; t < n; t++) {
		m->user_seen[r[t].user] = 1;
		m->item_seen[r[t].item] = 1;
	}

	memcpy(work, r, n * sizeof *work);
	const float lr = p->lr, reg = p->reg, mu = m->mu;
	for (uint32_t ep = 0; ep < p->epochs; ep++) {
		for (size_t t = n - 1; t > 0; t--) { /* Fisher-Yates */
			size_t j = rng_below(&rng, t + 1);
			mf_triple tmp = work[t];
			work[t] = work[j];
			work[j] = tmp;
		}
		for (size_t t = 0; t < n; t++) {
			const uint32_t u = work[t].user, i = work[t].item;
			float *pu = m->P + (size_t)u * k, *qi = m->Q + (size_t)i * k;
			float dot = 0.0f;
			for (size_t f = 0; f < k; f++)
				dot += pu[f] * qi[f];
			const float e = work[t].rating - (mu + m->bu[u] + m->bi[i] + dot);
			m->bu[u] += lr * (e - reg * m->bu[u]);
			m->bi[i] += lr * (e - reg * m->bi[i]);
			for (size_t f = 0; f < k; f++) {
				const float pf = pu[f], qf = qi[f];
				pu[f] += lr * (e * qf - reg * pf);
				qi[f] += lr * (e * pf - reg * qf);
			}
		}
	}
	free(work);
	return m;
fail:
	free(work);
	mf_free(m);
	return NULL;
}

/* A NULL model predicts NaN (a caller bug should not look like a rating). */
float mf_predict(const mf_model *m, uint32_t user, uint32_t item)
{
	if (!m)
		return NAN;
	const int us = user < m->n_users && m->user_seen[user];
	const int is = item < m->n_items && m->item_seen[item];
	float r = m->mu;
	if (us)
		r += m->bu[user];
	if (is)
		r += m->bi[item];
	if (us && is) {
		const float *pu = m->P + (size_t)user * m->k, *qi = m->Q + (size_t)item * m->k;
		float dot = 0.0f;
		for (size_t f = 0; f < m->k; f++)
			dot += pu[f] * qi[f];
		r += dot;
	}
	return clamp_rating(r);
}
