/* SPDX-License-Identifier: MIT */
/* test_baselines.c - the per-user MLP and the biased matrix factorisation baselines. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "baselines.h"

/* Test-local xorshift64 so the data sets are fixed. */
static uint64_t t_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Uniform in [lo, hi). */
static float t_uniform(uint64_t *s, float lo, float hi)
{
	return lo + (hi - lo) * (float)(t_next(s) >> 40) / 16777216.0f;
}

static void random_bits(float *x, size_t count, uint64_t *s)
{
	for (size_t k = 0; k < count; k++)
		x[k] = (float)(t_next(s) >> 63);
}

static double rmse(const float *a, const float *b, size_t n)
{
	double se = 0.0;
	for (size_t k = 0; k < n; k++)
		se += ((double)a[k] - b[k]) * ((double)a[k] - b[k]);
	return sqrt(se / (double)n);
}

enum { N_TR = 64, N_TE = 32, D_IN = 8 };

/* ---- MLP ---------------------------------------------------------------------------------- */

Test(baseline_mlp, defaults_match_the_documented_values)
{
	mlp_params p;
	memset(&p, 0xff, sizeof p);
	mlp_params_default(&p);
	cr_assert_eq(p.hidden, 16u, "expected hidden 16, got %u", p.hidden);
	cr_assert_eq(p.epochs, 200u, "expected epochs 200, got %u", p.epochs);
	cr_assert_float_eq(p.lr, 0.01f, 1e-9f, "expected lr 0.01, got %g", p.lr);
	cr_assert_float_eq(p.l2, 0.1f, 1e-9f, "expected l2 0.1, got %g", p.l2);
}

Test(baseline_mlp, learns_rating_from_one_input_bit)
{
	uint64_t s = 42;
	float x[N_TR * D_IN], y[N_TR], xt[N_TE * D_IN], yt[N_TE], yp[N_TE];
	random_bits(x, N_TR * D_IN, &s);
	random_bits(xt, N_TE * D_IN, &s);
	for (size_t k = 0; k < N_TR; k++)
		y[k] = 1.0f + 4.0f * x[k * D_IN];
	for (size_t k = 0; k < N_TE; k++)
		yt[k] = 1.0f + 4.0f * xt[k * D_IN];
	mlp_params p;
	mlp_params_default(&p);
	p.l2 = 1e-4f; /* a clean function: the default decay would shrink the slope */
	int rc = mlp_fit_predict(x, y, N_TR, D_IN, xt, N_TE, yp, &p);
	cr_assert_eq(rc, 0, "expected mlp_fit_predict to return 0, got %d", rc);
	double e = rmse(yp, yt, N_TE);
	/* Predicting the mean would give an RMSE of about 2. */
	cr_assert_lt(e, 0.25, "expected held-out RMSE < 0.25 on rating = 1 + 4*x0, got %.4f", e);
}

Test(baseline_mlp, learns_from_non_binary_inputs)
{
	uint64_t s = 7;
	float x[N_TR * D_IN], y[N_TR], xt[N_TE * D_IN], yt[N_TE], yp[N_TE];
	for (size_t k = 0; k < N_TR * D_IN; k++)
		x[k] = 0.5f * (float)(t_next(&s) % 5); /* 0, 0.5, ..., 2 */
	for (size_t k = 0; k < N_TE * D_IN; k++)
		xt[k] = 0.5f * (float)(t_next(&s) % 5);
	for (size_t k = 0; k < N_TR; k++)
		y[k] = 1.0f + 1.5f * x[k * D_IN];
	for (size_t k = 0; k < N_TE; k++)
		yt[k] = 1.0f + 1.5f * xt[k * D_IN];
	mlp_params p;
	mlp_params_default(&p);
	cr_assert_eq(mlp_fit_predict(x, y, N_TR, D_IN, xt, N_TE, yp, &p), 0,
		     "expected success on non-binary inputs");
	double e = rmse(yp, yt, N_TE);
	cr_assert_lt(e, 0.25, "expected held-out RMSE < 0.25 on rating = 1 + 1.5*x0, got %.4f", e);
}

Test(baseline_mlp, predictions_are_clamped_to_half_to_five_stars)
{
	uint64_t s = 3;
	float x[N_TR * D_IN], y[N_TR], xt[N_TE * D_IN], yp[N_TE];
	random_bits(x, N_TR * D_IN, &s);
	random_bits(xt, N_TE * D_IN, &s);
	for (size_t k = 0; k < N_TR; k++)
		y[k] = 10.0f * x[k * D_IN] - 3.0f; /* targets -3 and 7, outside the scale */
	mlp_params p;
	mlp_params_default(&p);
	cr_assert_eq(mlp_fit_predict(x, y, N_TR, D_IN, xt, N_TE, yp, &p), 0, "expected success");
	for (size_t k = 0; k < N_TE; k++) {
		float want = xt[k * D_IN] != 0.0f ? 5.0f : 0.5f;
		cr_assert(yp[k] >= 0.5f && yp[k] <= 5.0f,
			  "expected prediction %zu in [0.5, 5], got %g", k, yp[k]);
		cr_assert_eq(yp[k], want, "expected prediction %zu clamped to %g, got %g", k, want,
			     yp[k]);
	}
}

Test(baseline_mlp, same_seed_gives_identical_predictions)
{
	uint64_t s = 11;
	float x[N_TR * D_IN], y[N_TR], xt[N_TE * D_IN], a[N_TE], b[N_TE], c[N_TE];
	random_bits(x, N_TR * D_IN, &s);
	random_bits(xt, N_TE * D_IN, &s);
	for (size_t k = 0; k < N_TR; k++)
		y[k] = 0.5f * (float)(1 + t_next(&s) % 10);
	mlp_params p;
	mlp_params_default(&p);
	p.seed = 1234;
	cr_assert_eq(mlp_fit_predict(x, y, N_TR, D_IN, xt, N_TE, a, &p), 0, "expected success");
	cr_assert_eq(mlp_fit_predict(x, y, N_TR, D_IN, xt, N_TE, b, &p), 0, "expected success");
	cr_assert_eq(memcmp(a, b, sizeof a), 0, "expected bit-identical predictions for one seed");
	p.seed = 1235;
	cr_assert_eq(mlp_fit_predict(x, y, N_TR, D_IN, xt, N_TE, c, &p), 0, "expected success");
	cr_assert_neq(memcmp(a, c, sizeof a), 0,
		      "expected another seed to give other predictions, got the same");
}

Test(baseline_mlp, repeated_training_rows_weigh_like_repetitions)
{
	/* The training set twice over has the same mean squared error, so the same model. */
	uint64_t s = 5;
	float x[2 * N_TR * D_IN], y[2 * N_TR], xt[N_TE * D_IN], once[N_TE], twice[N_TE];
	random_bits(x, N_TR * D_IN, &s);
	random_bits(xt, N_TE * D_IN, &s);
	for (size_t k = 0; k < N_TR; k++)
		y[k] = 0.5f * (float)(1 + t_next(&s) % 10);
	memcpy(x + N_TR * D_IN, x, N_TR * D_IN * sizeof(float));
	memcpy(y + N_TR, y, N_TR * sizeof(float));
	mlp_params p;
	mlp_params_default(&p);
	cr_assert_eq(mlp_fit_predict(x, y, N_TR, D_IN, xt, N_TE, once, &p), 0, "expected success");
	cr_assert_eq(mlp_fit_predict(x, y, 2 * N_TR, D_IN, xt, N_TE, twice, &p), 0,
		     "expected success");
	for (size_t k = 0; k < N_TE; k++)
		cr_assert_float_eq(once[k], twice[k], 1e-4f,
				   "expected prediction %zu to be %g as with the rows once, got %g", k,
				   once[k], twice[k]);
}

Test(baseline_mlp, four_training_ratings_give_finite_in_range_predictions)
{
	const float x[4 * 3] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0};
	const float y[4] = {4.5f, 2.0f, 3.0f, 5.0f};
	const float xt[2 * 3] = {1, 0, 1, 0, 0, 0};
	float yp[2] = {NAN, NAN};
	mlp_params p;
	mlp_params_default(&p);
	cr_assert_eq(mlp_fit_predict(x, y, 4, 3, xt, 2, yp, &p), 0, "expected success for n = 4");
	for (size_t k = 0; k < 2; k++)
		cr_assert(isfinite(yp[k]) && yp[k] >= 0.5f && yp[k] <= 5.0f,
			  "expected prediction %zu finite in [0.5, 5], got %g", k, yp[k]);
}

Test(baseline_mlp, no_test_rows_is_not_an_error)
{
	const float x[2] = {1, 0}, y[2] = {4.0f, 2.0f};
	mlp_params p;
	mlp_params_default(&p);
	int rc = mlp_fit_predict(x, y, 2, 1, NULL, 0, NULL, &p);
	cr_assert_eq(rc, 0, "expected 0 for m = 0, got %d", rc);
}

Test(baseline_mlp, rejects_bad_sizes_and_inputs)
{
	float x[4] = {1, 0, 0, 1}, y[2] = {4.0f, 2.0f}, yp[2];
	mlp_params p;
	mlp_params_default(&p);
	cr_assert_eq(mlp_fit_predict(x, y, 0, 2, x, 2, yp, &p), -1, "expected -1 for n = 0");
	cr_assert_eq(mlp_fit_predict(x, y, 2, 0, x, 2, yp, &p), -1, "expected -1 for d = 0");
	cr_assert_eq(mlp_fit_predict(NULL, y, 2, 2, x, 2, yp, &p), -1, "expected -1 for x NULL");
	cr_assert_eq(mlp_fit_predict(x, NULL, 2, 2, x, 2, yp, &p), -1, "expected -1 for y NULL");
	cr_assert_eq(mlp_fit_predict(x, y, 2, 2, NULL, 2, yp, &p), -1,
		     "expected -1 for x_test NULL with m > 0");
	cr_assert_eq(mlp_fit_predict(x, y, 2, 2, x, 2, NULL, &p), -1,
		     "expected -1 for y_pred NULL with m > 0");
	cr_assert_eq(mlp_fit_predict(x, y, 2, 2, x, 2, yp, NULL), -1, "expected -1 for params NULL");
	mlp_params bad = p;
	bad.hidden = 0;
	cr_assert_eq(mlp_fit_predict(x, y, 2, 2, x, 2, yp, &bad), -1, "expected -1 for hidden 0");
	bad = p;
	bad.lr = 0.0f;
	cr_assert_eq(mlp_fit_predict(x, y, 2, 2, x, 2, yp, &bad), -1, "expected -1 for lr 0");
	bad = p;
	bad.l2 = -1.0f;
	cr_assert_eq(mlp_fit_predict(x, y, 2, 2, x, 2, yp, &bad), -1, "expected -1 for l2 < 0");
	y[1] = NAN;
	cr_assert_eq(mlp_fit_predict(x, y, 2, 2, x, 2, yp, &p), -1, "expected -1 for a NaN rating");
	y[1] = 2.0f;
	x[3] = INFINITY;
	cr_assert_eq(mlp_fit_predict(x, y, 2, 2, yp, 0, NULL, &p), -1,
		     "expected -1 for an infinite input");
}

/* ---- matrix factorisation ----------------------------------------------------------------- */

enum { MF_U = 80, MF_I = 120, MF_R = 3 };

typedef struct synth {
	mf_triple *t;
	size_t n;
	double mean;
	float item_bias[MF_I];
} synth;

/* r = 3.5 + b_u + b_i + p_u . q_i (rank 3, no noise), about half of the pairs observed. Users
 * MF_U.. and items MF_I.. have no ratings. */
static void make_synth(synth *sy, uint64_t seed)
{
	uint64_t s = seed;
	float bu[MF_U], P[MF_U * MF_R], Q[MF_I * MF_R];
	for (size_t u = 0; u < MF_U; u++) {
		bu[u] = t_uniform(&s, -0.5f, 0.5f);
		for (size_t f = 0; f < MF_R; f++)
			P[u * MF_R + f] = t_uniform(&s, -0.6f, 0.6f);
	}
	for (size_t i = 0; i < MF_I; i++) {
		sy->item_bias[i] = t_uniform(&s, -0.5f, 0.5f);
		for (size_t f = 0; f < MF_R; f++)
			Q[i * MF_R + f] = t_uniform(&s, -0.6f, 0.6f);
	}
	sy->t = malloc(MF_U * MF_I * sizeof *sy->t);
	cr_assert_not_null(sy->t, "expected memory for the synthetic ratings");
	sy->n = 0;
	sy->mean = 0.0;
	for (uint32_t u = 0; u < MF_U; u++)
		for (uint32_t i = 0; i < MF_I; i++) {
			if (t_next(&s) >> 63)
				continue;
			float r = 3.5f + bu[u] + sy->item_bias[i];
			for (size_t f = 0; f < MF_R; f++)
				r += P[u * MF_R + f] * Q[i * MF_R + f];
			sy->t[sy->n++] = (mf_triple){.user = u, .item = i, .rating = r};
			sy->mean += r;
		}
	sy->mean /= (double)sy->n;
}

static double mf_train_rmse(const mf_model *m, const synth *sy)
{
	double se = 0.0;
	for (size_t k = 0; k < sy->n; k++) {
		double e = mf_predict(m, sy->t[k].user, sy->t[k].item) - sy->t[k].rating;
		se += e * e;
	}
	return sqrt(se / (double)sy->n);
}

Test(baseline_mf, defaults_match_the_documented_values)
{
	mf_params p;
	memset(&p, 0xff, sizeof p);
	mf_params_default(&p);
	cr_assert_eq(p.factors, 16u, "expected factors 16, got %u", p.factors);
	cr_assert_eq(p.epochs, 30u, "expected epochs 30, got %u", p.epochs);
	cr_assert_float_eq(p.lr, 0.01f, 1e-9f, "expected lr 0.01, got %g", p.lr);
	cr_assert_float_eq(p.reg, 0.05f, 1e-9f, "expected reg 0.05, got %g", p.reg);
}

Test(baseline_mf, fits_low_rank_data_far_better_than_the_global_mean)
{
	synth sy;
	make_synth(&sy, 99);
	double se0 = 0.0;
	for (size_t k = 0; k < sy.n; k++)
		se0 += (sy.mean - sy.t[k].rating) * (sy.mean - sy.t[k].rating);
	const double base = sqrt(se0 / (double)sy.n);
	mf_params p;
	mf_params_default(&p);
	mf_model *m = mf_train(sy.t, sy.n, MF_U, MF_I, &p);
	cr_assert_not_null(m, "expected a model");
	double e = mf_train_rmse(m, &sy);
	cr_assert_lt(e, 0.5 * base, "expected training RMSE < half the global-mean RMSE %.4f, got %.4f",
		     base, e);
	mf_free(m);
	free(sy.t);
}

Test(baseline_mf, factors_fit_what_biases_alone_cannot)
{
	synth sy;
	make_synth(&sy, 99);
	mf_params p;
	mf_params_default(&p);
	p.epochs = 200;
	mf_model *full = mf_train(sy.t, sy.n, MF_U, MF_I, &p);
	p.factors = 0;
	mf_model *biases = mf_train(sy.t, sy.n, MF_U, MF_I, &p);
	cr_assert(full && biases, "expected both models");
	double ef = mf_train_rmse(full, &sy), eb = mf_train_rmse(biases, &sy);
	cr_assert_lt(ef, 0.7 * eb,
		     "expected 16 factors to reach < 0.7 x the bias-only RMSE %.4f, got %.4f", eb, ef);
	mf_free(full);
	mf_free(biases);
	free(sy.t);
}

Test(baseline_mf, unknown_user_and_item_fall_back_to_global_mean)
{
	synth sy;
	make_synth(&sy, 17);
	mf_params p;
	mf_params_default(&p);
	/* One user and one item more than the data use: in range but never seen. */
	mf_model *m = mf_train(sy.t, sy.n, MF_U + 1, MF_I + 1, &p);
	cr_assert_not_null(m, "expected a model");
	const float mu = (float)sy.mean;
	float got = mf_predict(m, MF_U, MF_I);
	cr_assert_float_eq(got, mu, 1e-4f, "expected the global mean %g for an unseen pair, got %g",
			   mu, got);
	got = mf_predict(m, UINT32_MAX, UINT32_MAX);
	cr_assert_float_eq(got, mu, 1e-4f,
			   "expected the global mean %g for out-of-range indices, got %g", mu, got);
	mf_free(m);
	free(sy.t);
}

Test(baseline_mf, unseen_user_gets_mean_plus_item_bias)
{
	synth sy;
	make_synth(&sy, 23);
	mf_params p;
	mf_params_default(&p);
	mf_model *m = mf_train(sy.t, sy.n, MF_U + 1, MF_I, &p);
	cr_assert_not_null(m, "expected a model");
	const double mu = sy.mean;
	/* Never-seen (index MF_U) and out-of-range users are treated alike. */
	for (uint32_t i = 0; i < MF_I; i++) {
		float a = mf_predict(m, MF_U, i), b = mf_predict(m, MF_U + 1000, i);
		cr_assert_eq(a, b, "expected unseen and out-of-range users to agree on item %u: %g vs %g",
			     i, a, b);
	}
	/* What is left after mu must be the item bias: it tracks the true one. */
	double mt = 0.0, me = 0.0;
	for (uint32_t i = 0; i < MF_I; i++) {
		mt += sy.item_bias[i];
		me += mf_predict(m, MF_U, i) - mu;
	}
	mt /= MF_I;
	me /= MF_I;
	double sxy = 0.0, sxx = 0.0, syy = 0.0;
	for (uint32_t i = 0; i < MF_I; i++) {
		double a = sy.item_bias[i] - mt, b = mf_predict(m, MF_U, i) - mu - me;
		sxy += a * b;
		sxx += a * a;
		syy += b * b;
	}
	double corr = sxy / sqrt(sxx * syy);
	cr_assert_gt(corr, 0.95,
		     "expected the unseen user's predictions - mu to track the item biases "
		     "(correlation > 0.95), got %.4f",
		     corr);
	mf_free(m);
	free(sy.t);
}

Test(baseline_mf, same_seed_gives_identical_models)
{
	synth sy;
	make_synth(&sy, 31);
	mf_params p;
	mf_params_default(&p);
	p.seed = 77;
	mf_model *a = mf_train(sy.t, sy.n, MF_U, MF_I, &p), *b = mf_train(sy.t, sy.n, MF_U, MF_I, &p);
	p.seed = 78;
	mf_model *c = mf_train(sy.t, sy.n, MF_U, MF_I, &p);
	cr_assert(a && b && c, "expected three models");
	int differs = 0;
	for (uint32_t u = 0; u < MF_U; u += 7)
		for (uint32_t i = 0; i < MF_I; i += 5) {
			float pa = mf_predict(a, u, i), pb = mf_predict(b, u, i);
			cr_assert_eq(pa, pb, "expected identical predictions for (%u, %u): %g vs %g", u,
				     i, pa, pb);
			differs |= pa != mf_predict(c, u, i);
		}
	cr_assert(differs, "expected another seed to change some prediction, got none changed");
	mf_free(a);
	mf_free(b);
	mf_free(c);
	free(sy.t);
}

Test(baseline_mf, predictions_stay_within_the_rating_scale)
{
	/* Ratings pinned at the ends of the scale push the raw predictions past them. */
	mf_triple t[400];
	uint64_t s = 8;
	for (size_t k = 0; k < 400; k++) {
		uint32_t u = (uint32_t)(t_next(&s) % 20), i = (uint32_t)(t_next(&s) % 20);
		t[k] = (mf_triple){.user = u, .item = i, .rating = (u < 10) == (i < 10) ? 5.0f : 0.5f};
	}
	mf_params p;
	mf_params_default(&p);
	p.epochs = 200;
	p.lr = 0.05f;
	mf_model *m = mf_train(t, 400, 20, 20, &p);
	cr_assert_not_null(m, "expected a model");
	for (uint32_t u = 0; u < 21; u++)
		for (uint32_t i = 0; i < 21; i++) {
			float r = mf_predict(m, u, i);
			cr_assert(r >= 0.5f && r <= 5.0f, "expected (%u, %u) in [0.5, 5], got %g", u, i,
				  r);
		}
	mf_free(m);
}

Test(baseline_mf, rejects_bad_input)
{
	mf_triple t[2] = {{0, 0, 4.0f}, {1, 1, 3.0f}};
	mf_params p;
	mf_params_default(&p);
	cr_assert_null(mf_train(NULL, 2, 2, 2, &p), "expected NULL for no triples array");
	cr_assert_null(mf_train(t, 0, 2, 2, &p), "expected NULL for n = 0");
	cr_assert_null(mf_train(t, 2, 2, 2, NULL), "expected NULL for params NULL");
	cr_assert_null(mf_train(t, 2, 1, 2, &p), "expected NULL for a user index >= n_users");
	cr_assert_null(mf_train(t, 2, 2, 1, &p), "expected NULL for an item index >= n_items");
	mf_params bad = p;
	bad.lr = -0.1f;
	cr_assert_null(mf_train(t, 2, 2, 2, &bad), "expected NULL for lr < 0");
	t[1].rating = NAN;
	cr_assert_null(mf_train(t, 2, 2, 2, &p), "expected NULL for a NaN rating");
	mf_free(NULL); /* must be a no-op */
	cr_assert(isnan(mf_predict(NULL, 0, 0)), "expected NaN from a NULL model");
}
