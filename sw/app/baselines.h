/* SPDX-License-Identifier: MIT */
/* baselines.h - the weighted models the WNN is compared with (docs/results.md). */
#ifndef WNNREC_BASELINES_H
#define WNNREC_BASELINES_H

#include <stddef.h>
#include <stdint.h>

/* Per-user multilayer perceptron trained by backpropagation: d inputs (the agent's input bits as
 * 0/1), one hidden layer of `hidden` tanh units, one linear output = rating in stars; squared error,
 * full-batch Adam, `epochs` passes, weights initialised from seed (xorshift). */
typedef struct mlp_params {
	uint32_t hidden;  /* default 16 */
	uint32_t epochs;  /* default 200 */
	float lr;         /* default 0.01 */
	float l2;         /* default 0.1 (chosen on seeds 7, 11, 23; docs/results.md) */
	uint64_t seed;
} mlp_params;
void mlp_params_default(mlp_params *p);
/* x_train: n rows of d floats; y_train: n ratings; x_test: m rows; writes m predictions, clamped to
 * [0.5, 5]. Returns 0 or -1 (bad sizes, out of memory). */
int mlp_fit_predict(const float *x_train, const float *y_train, size_t n, size_t d,
		    const float *x_test, size_t m, float *y_pred, const mlp_params *p);

/* Biased matrix factorisation (r ~ mu + b_u + b_i + p_u.q_i), SGD with L2. */
typedef struct mf_params {
	uint32_t factors; /* default 16 */
	uint32_t epochs;  /* default 30 */
	float lr;         /* default 0.01 */
	float reg;        /* default 0.05 */
	uint64_t seed;
} mf_params;
void mf_params_default(mf_params *p);
typedef struct mf_triple {
	uint32_t user, item; /* dense indices, < n_users / n_items */
	float rating;
} mf_triple;
typedef struct mf_model mf_model;
/* Trains on n triples; returns NULL on bad input or out of memory. */
mf_model *mf_train(const mf_triple *r, size_t n, uint32_t n_users, uint32_t n_items,
		   const mf_params *p);
/* Unknown user or item (index >= n or never seen) falls back to the biases that exist. Clamped. */
float mf_predict(const mf_model *m, uint32_t user, uint32_t item);
void mf_free(mf_model *m);

#endif
