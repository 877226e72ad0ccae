/* SPDX-License-Identifier: MIT */
/* mlp.c - per-user multilayer perceptron baseline (see baselines.h).
 *
 * Model: y = b2 + sum_j W2[j] tanh(b1[j] + sum_i x[i] W1[i][j]), trained on
 *   L = 1/(2n) sum_k (y(x_k) - t_k)^2 + l2/2 (|W1|^2 + |W2|^2)   (biases are not decayed)
 * with full-batch Adam. Speed comes from rewrites that keep the maths (up to float rounding):
 *   - identical training rows are merged into one row with weight count/n and the mean target
 *     (the squared error differs only by a constant, so the gradient is the same);
 *   - only non-zero inputs are visited: by row for the forward pass, by column for the input-layer
 *     gradient, so each sum stays in registers; all-0/1 inputs skip the multiplies;
 *   - the hidden layer is padded to a multiple of 8 so the inner loops have a fixed trip count and
 *     vectorise at -O2; padded units start at 0 and get exactly 0 gradient, so they stay 0.
 * The one approximation is tanh, a [7/6] Pade approximant (max abs error 7.3e-5), used for training
 * and prediction alike.
 */
#include "baselines.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MLP_BLOCK 8u          /* hidden units per vector block */
#define MLP_MAX_HIDDEN 4096u  /* sanity bound; far above anything useful for a per-user model */
#define MLP_MAX_D 65536u      /* inputs are bit vectors; d <= 64 in practice */
#define MLP_MAX_N (1u << 24)

void mlp_params_default(mlp_params *p)
{
	if (!p)
		return;
	p->hidden = 16;
	p->epochs = 200;
	p->lr = 0.01f;
	p->l2 = 0.1f;
	p->seed = 0x5eed5eed5eedULL;
}


/* tanh as the [7/6] Pade approximant of its continued fraction, x clamped to +-4.8 (where the
 * approximant is still below 1): max abs error 7.3e-5, far below what matters for a tanh unit, at
 * a third less arithmetic than the [9/8] one (this is the hot loop). The clamp uses fabsf rather
 * than branches so the block loops vectorise at -O2. */
static inline float fast_tanh(float x)
{
	x = 0.5f * (fabsf(x + 4.8f) - fabsf(x - 4.8f));
	const float x2 = x * x;
	const float p = x * (135135.0f + x2 * (17325.0f + x2 * (378.0f + x2)));
	const float q = 135135.0f + x2 * (62370.0f + x2 * (3150.0f + x2 * 28.0f));
	return p / q;
}

/* Kernels over nb blocks of MLP_BLOCK floats (fixed inner trip count: they vectorise at -O2). */

/* y += a * x */
static void axpy_blocks(float *restrict y, const float *restrict x, float a, size_t nb)
{
	for (size_t b = 0; b < nb; b++) {
		float *yb = y + b * MLP_BLOCK;
		const float *xb = x + b * MLP_BLOCK;
		for (size_t j = 0; j < MLP_BLOCK; j++)
			yb[j] += a * xb[j];
	}
}

/* out[0..MLP_BLOCK) = init + sum_t val[t] * base[off[t] + 0..MLP_BLOCK): one block of a
 * sparse matrix product, summed in a local accumulator (registers) rather than in out. init NULL:
 * zeros. val NULL: all 1 (the usual bit inputs; it saves the multiplies). */
static void sparse_block_sum(float *restrict out, const float *restrict init,
			     const float *restrict base, const size_t *restrict off,
			     const float *restrict val, size_t cnt)
{
	float acc[MLP_BLOCK] = {0};
	if (init)
		for (size_t j = 0; j < MLP_BLOCK; j++)
			acc[j] = init[j];
	if (val) {
		for (size_t t = 0; t < cnt; t++) {
			const float *w = base + off[t], v = val[t];
			for (size_t j = 0; j < MLP_BLOCK; j++)
				acc[j] += v * w[j];
		}
	} else {
		for (size_t t = 0; t < cnt; t++) {
			const float *w = base + off[t];
			for (size_t j = 0; j < MLP_BLOCK; j++)
				acc[j] += w[j];
		}
	}
	for (size_t j = 0; j < MLP_BLOCK; j++)
		out[j] = acc[j];
}

/* The same for two adjacent blocks at once (the index and value loads are shared). */
static void sparse_block2_sum(float *restrict out, const float *restrict init,
			      const float *restrict base, const size_t *restrict off,
			      const float *restrict val, size_t cnt)
{
	float acc0[MLP_BLOCK] = {0}, acc1[MLP_BLOCK] = {0};
	if (init)
		for (size_t j = 0; j < MLP_BLOCK; j++) {
			acc0[j] = init[j];
			acc1[j] = init[MLP_BLOCK + j];
		}
	if (val) {
		for (size_t t = 0; t < cnt; t++) {
			const float *w = base + off[t], v = val[t];
			for (size_t j = 0; j < MLP_BLOCK; j++)
				acc0[j] += v * w[j];
			for (size_t j = 0; j < MLP_BLOCK; j++)
				acc1[j] += v * w[MLP_BLOCK + j];
		}
	} else {
		for (size_t t = 0; t < cnt; t++) {
			const float *w = base + off[t];
			for (size_t j = 0; j < MLP_BLOCK; j++)
				acc0[j] += w[j];
			for (size_t j = 0; j < MLP_BLOCK; j++)
				acc1[j] += w[MLP_BLOCK + j];
		}
	}
	for (size_t j = 0; j < MLP_BLOCK; j++)
		out[j] = acc0[j];
	for (size_t j = 0; j < MLP_BLOCK; j++)
		out[MLP_BLOCK + j] = acc1[j];
}

/* out[0..hp) = init + sum_t val[t] * base[off[t] + 0..hp), hp = nb * MLP_BLOCK; init and val
 * as above. */
static void sparse_row_sum(float *restrict out, const float *restrict init,
			   const float *restrict base, size_t nb, const size_t *restrict off,
			   const float *restrict val, size_t cnt)
{
	size_t b = 0;
	for (; b + 1 < nb; b += 2)
		sparse_block2_sum(out + b * MLP_BLOCK, init ? init + b * MLP_BLOCK : NULL,
				  base + b * MLP_BLOCK, off, val, cnt);
	if (b < nb)
		sparse_block_sum(out + b * MLP_BLOCK, init ? init + b * MLP_BLOCK : NULL,
				 base + b * MLP_BLOCK, off, val, cnt);
}

/* z = tanh(z) in place; returns w . z (summed per lane, then across lanes). */
static float tanh_dot_blocks(float *restrict z, const float *restrict w, size_t nb)
{
	float acc[MLP_BLOCK] = {0};
	for (size_t b = 0; b < nb; b++) {
		float *zb = z + b * MLP_BLOCK;
		const float *wb = w + b * MLP_BLOCK;
		for (size_t j = 0; j < MLP_BLOCK; j++) {
			zb[j] = fast_tanh(zb[j]);
			acc[j] += wb[j] * zb[j];
		}
	}
	float s = 0.0f;
	for (size_t j = 0; j < MLP_BLOCK; j++)
		s += acc[j];
	return s;
}

/* Output-layer and hidden-bias gradients for one row with activations a and output error err;
 * delta = err * w2 * tanh'(.) for the input-layer gradient. */
static void backprop_blocks(const float *restrict a, const float *restrict w2, float err,
			    float *restrict gw2, float *restrict gb1, float *restrict delta,
			    size_t nb)
{
	for (size_t b = 0; b < nb; b++) {
		const size_t o = b * MLP_BLOCK;
		for (size_t j = 0; j < MLP_BLOCK; j++) {
			const float aj = a[o + j], dj = err * w2[o + j] * (1.0f - aj * aj);
			gw2[o + j] += err * aj;
			gb1[o + j] += dj;
			delta[o + j] = dj;
		}
	}
}

typedef struct row_key {
	uint64_t hash;
	uint32_t idx;
} row_key;

static int row_key_cmp(const void *pa, const void *pb)
{
	const row_key *a = pa, *b = pb;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->idx < b->idx ? -1 : (a->idx > b->idx);
}

static uint64_t row_hash(const float *row, size_t d)
{
	const unsigned char *b = (const unsigned char *)row;
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (size_t i = 0; i < d * sizeof(float); i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* rep[k] = smallest index whose row is bit-identical to row k. Returns -1 on out of memory. */
static int find_duplicates(const float *x, size_t n, size_t d, uint32_t *rep)
{
	row_key *keys = malloc(n * sizeof *keys);
	if (!keys)
		return -1;
	for (size_t k = 0; k < n; k++) {
		keys[k].hash = row_hash(x + k * d, d);
		keys[k].idx = (uint32_t)k;
	}
	qsort(keys, n, sizeof *keys, row_key_cmp);
	for (size_t g = 0; g < n;) {
		size_t e = g + 1;
		while (e < n && keys[e].hash == keys[g].hash)
			e++;
		/* Members are idx-ascending; match each against the earlier representatives. */
		for (size_t a = g; a < e; a++) {
			uint32_t ia = keys[a].idx;
			rep[ia] = ia;
			for (size_t b = g; b < a; b++) {
				uint32_t ib = keys[b].idx;
				if (rep[ib] == ib && memcmp(x + (size_t)ia * d, x + (size_t)ib * d,
							    d * sizeof(float)) == 0) {
					rep[ia] = ib;
					break;
				}
			}
		}
		g = e;
	}
	free(keys);
	return 0;
}

/* Dense forward pass for one input row; W1 is d x hp, row-major. */
static float forward_dense(const float *xrow, size_t d, size_t hp, const float *W1,
			   const float *b1, const float *W2, float b2, float *z)
{
	memcpy(z, b1, hp * sizeof(float));
	for (size_t i = 0; i < d; i++)
		if (xrow[i] != 0.0f)
			axpy_blocks(z, W1 + i * hp, xrow[i], hp / MLP_BLOCK);
	return b2 + tanh_dot_blocks(z, W2, hp / MLP_BLOCK);
}

static float clamp_rating(float r)
{
	if (!(r >= 0.5f)) /* also maps NaN to the floor */
		return 0.5f;
	return r > 5.0f ? 5.0f : r;
}

static int mul_overflows(size_t a, size_t b)
{
	return b != 0 && a > SIZE_MAX / b;
}

int mlp_fit_predict(const float *x_train, const float *y_train, size_t n, size_t d,
		    const float *x_test, size_t m, float *y_pred, const mlp_params *p)
{
	if (!x_train || !y_train || !p || n == 0 || n > MLP_MAX_N || d == 0 || d > MLP_MAX_D ||
	    p->hidden == 0 || p->hidden > MLP_MAX_HIDDEN || !(p->lr > 0.0f) || !isfinite(p->lr) ||
	    !(p->l2 >= 0.0f) || !isfinite(p->l2))
		return -1;
	if (m > 0 && (!x_test || !y_pred))
		return -1;
	if (mul_overflows(n, d) || mul_overflows(n * d, sizeof(float)) || mul_overflows(m, d) ||
	    mul_overflows(m * d, sizeof(float)))
		return -1;
	for (size_t k = 0; k < n * d; k++)
		if (!isfinite(x_train[k]))
			return -1;
	for (size_t k = 0; k < m * d; k++)
		if (!isfinite(x_test[k]))
			return -1;
	double ysum = 0.0;
	for (size_t k = 0; k < n; k++) {
		if (!isfinite(y_train[k]))
			return -1;
		ysum += y_train[k];
	}

	const size_t h = p->hidden;
	const size_t hp = (h + MLP_BLOCK - 1) / MLP_BLOCK * MLP_BLOCK;
	/* W1 (d x hp, row-major), b1, W2, then b2 alone in a block */
	const size_t n_par = d * hp + 2 * hp + MLP_BLOCK;
	if (mul_overflows(n + 1, hp) || mul_overflows((n + 1) * hp, sizeof(float)) ||
	    mul_overflows(n_par, 4 * sizeof(float)))
		return -1;

	int rc = -1;
	float *par = calloc(4 * n_par, sizeof(float)); /* params, grads, Adam m, Adam v */
	float *scratch = malloc((n + 1) * hp * sizeof(float)); /* z, then delta per unique row */
	float *tgt = malloc(n * sizeof(float)), *wgt = calloc(n, sizeof(float));
	double *ysum_u = calloc(n, sizeof(double));
	/* The unique rows' non-zero inputs by row (nzv, and nzo = input * hp, the offset of its W1 row;
	 * rstart) and by column (cval, and co = row * hp, the offset of its delta; cstart). */
	float *nzv = malloc(n * d * sizeof(float)), *cval = malloc(n * d * sizeof(float));
	size_t *nzo = malloc(n * d * sizeof(size_t)), *co = malloc(n * d * sizeof(size_t));
	uint32_t *rep = malloc(n * sizeof(uint32_t));
	size_t *rstart = malloc((n + 1) * sizeof(size_t)), *cstart = calloc(d + 1, sizeof(size_t));
	if (!par || !scratch || !tgt || !wgt || !ysum_u || !nzv || !cval || !nzo || !co || !rep ||
	    !rstart || !cstart)
		goto out;
	float *grad = par + n_par, *am = grad + n_par, *av = am + n_par;
	float *z = scratch, *delta = scratch + hp;
	float *W1 = par, *b1 = W1 + d * hp, *W2 = b1 + hp, *b2 = W2 + hp;
	float *gW1 = grad, *gb1 = gW1 + d * hp, *gW2 = gb1 + hp, *gb2 = gW2 + hp;

	if (find_duplicates(x_train, n, d, rep) != 0)
		goto out;
	/* Unique rows in order of first occurrence; rep[] becomes the row -> unique-row map. */
	size_t nu = 0, nnz = 0;
	int binary = 1; /* every non-zero input is 1 */
	for (size_t k = 0; k < n; k++) {
		uint32_t u;
		if (rep[k] == k) {
			u = (uint32_t)nu++;
			rstart[u] = nnz;
			const float *xr = x_train + k * d;
			for (size_t i = 0; i < d; i++)
				if (xr[i] != 0.0f) {
					nzo[nnz] = i * hp;
					binary &= xr[i] == 1.0f;
					nzv[nnz++] = xr[i];
				}
		} else {
			u = rep[rep[k]]; /* rep[k] < k, already remapped */
		}
		rep[k] = u;
		ysum_u[u] += y_train[k];
		wgt[u] += 1.0f; /* a count for now */
	}
	rstart[nu] = nnz;
	for (size_t t = 0; t < nnz; t++)
		cstart[nzo[t] / hp + 1]++;
	for (size_t i = 0; i < d; i++)
		cstart[i + 1] += cstart[i];
	for (size_t u = 0; u < nu; u++) /* rows ascending within each column */
		for (size_t t = rstart[u]; t < rstart[u + 1]; t++) {
			const size_t c = cstart[nzo[t] / hp]++;
			co[c] = u * hp;
			cval[c] = nzv[t];
		}
	for (size_t i = d; i > 0; i--) /* undo the shift left by the fill */
		cstart[i] = cstart[i - 1];
	cstart[0] = 0;
	for (size_t u = 0; u < nu; u++) {
		tgt[u] = (float)(ysum_u[u] / wgt[u]);
		wgt[u] = (float)((double)wgt[u] / (double)n);
	}

	/* Xavier/Glorot uniform on the real units; padded units stay 0. */
	uint64_t rng = p->seed ^ 0x9e3779b97f4a7c15ULL;
	if (rng == 0)
		rng = 0x2545f4914f6cdd1dULL;
	const float a1 = sqrtf(6.0f / (float)(d + h)), a2 = sqrtf(6.0f / (float)(h + 1));
	for (size_t i = 0; i < d; i++)
		for (size_t j = 0; j < h; j++)
			W1[i * hp + j] = rng_uniform(&rng, a1);
	for (size_t j = 0; j < h; j++)
		W2[j] = rng_uniform(&rng, a2);
	/* Output bias = mean rating: Adam moves it only ~lr per epoch, so starting at 0 would underfit. */
	*b2 = (float)(ysum / (double)n);

	const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
	const float l2 = p->l2;
	double b1t = 1.0, b2t = 1.0;
	const size_t nb = hp / MLP_BLOCK;
	for (uint32_t ep = 0; ep < p->epochs; ep++) {
		memset(grad, 0, n_par * sizeof(float));
		double gout = 0.0;
		for (size_t u = 0; u < nu; u++) {
			const size_t s = rstart[u], cnt = rstart[u + 1] - s;
			sparse_row_sum(z, b1, W1, nb, nzo + s, binary ? NULL : nzv + s, cnt);
			const float out = *b2 + tanh_dot_blocks(z, W2, nb); /* z now holds activations */
			const float err = wgt[u] * (out - tgt[u]);
			gout += err;
			backprop_blocks(z, W2, err, gW2, gb1, delta + u * hp, nb);
		}
		/* Input-layer gradient column by column: gW1[i] = sum over rows with x_i != 0. */
		for (size_t i = 0; i < d; i++) {
			const size_t s = cstart[i], cnt = cstart[i + 1] - s;
			sparse_row_sum(gW1 + i * hp, NULL, delta, nb, co + s,
				       binary ? NULL : cval + s, cnt);
		}
		*gb2 = (float)gout;
		if (l2 > 0.0f) {
			axpy_blocks(gW1, W1, l2, d * nb);
			axpy_blocks(gW2, W2, l2, nb);
		}
		/* Adam with the bias corrections folded into the step size and epsilon. */
		b1t *= beta1;
		b2t *= beta2;
		const float lr_t = (float)((double)p->lr * sqrt(1.0 - b2t) / (1.0 - b1t));
		const float eps_t = (float)(eps * sqrt(1.0 - b2t));
		const float c1 = (float)beta1, c2 = (float)beta2;
		for (size_t q = 0; q < n_par; q++) {
			const float g = grad[q];
			am[q] = c1 * am[q] + (1.0f - c1) * g;
			av[q] = c2 * av[q] + (1.0f - c2) * g * g;
			par[q] -= lr_t * am[q] / (sqrtf(av[q]) + eps_t);
		}
	}

	for (size_t k = 0; k < m; k++)
		y_pred[k] = clamp_rating(forward_dense(x_test + k * d, d, hp, W1, b1, W2, *b2, z));
	rc = 0;
out:
	free(par);
	free(scratch);
	free(tgt);
	free(wgt);
	free(ysum_u);
	free(nzv);
	free(cval);
	free(nzo);
	free(co);
	free(rep);
	free(rstart);
	free(cstart);
	return rc;
}
