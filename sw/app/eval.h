/* SPDX-License-Identifier: MIT */
/* eval.h - the paper's per-user protocol and a streaming (predict, then learn) protocol. */
#ifndef WNNREC_EVAL_H
#define WNNREC_EVAL_H

#include <stdio.h>

#include "dataset.h"
#include "encode.h"
#include "wnn.h"

#define EVAL_MAX_R 16
#define EVAL_MAX_MODELS 8
#define EVAL_MAX_BUCKETS 8

enum eval_model {
	MODEL_WNN,       /* the paper's agent */
	MODEL_WNN_BEST,  /* our best agent configuration */
	MODEL_CONSTANT,  /* the best single rating on the training split */
	MODEL_USER_MEAN,
	MODEL_ITEM_MEAN, /* over every rating except the held-out ones */
	MODEL_MLP,       /* per-user MLP (baselines.h) */
	MODEL_MF,        /* biased matrix factorisation: collaborative filtering */
	MODEL_COUNT
};
const char *eval_model_name(int model);
/* Parses "wnn,mlp,..." or "all" into a bit mask; -1 on an unknown name. */
long eval_parse_models(const char *list);

typedef struct eval_opts {
	const char *backend;        /* wnn_ctx_open spec */
	uint32_t ratings[EVAL_MAX_R];
	uint32_t n_ratings;
	uint32_t users;             /* users per R; 0 = every eligible user */
	uint64_t seed;
	unsigned models;            /* 1 << enum eval_model */
	wnn_config wnn;             /* MODEL_WNN's agent */
	wnn_config wnn_best;        /* MODEL_WNN_BEST's agent */
	FILE *progress;             /* stderr or NULL */
	FILE *predictions;          /* CSV of every prediction, or NULL */
} eval_opts;

void eval_opts_default(eval_opts *o);
/* The agent configurations (docs/results.md explains the choice of the best one). */
void eval_wnn_paper_config(wnn_config *c);
void eval_wnn_best_config(wnn_config *c);

typedef struct model_score {
	uint32_t users;         /* users scored */
	uint64_t predictions;
	double within1_mean;    /* per-user within-one-star accuracy, mean over users */
	double within1_median;
	double exact_mean;      /* per-user exact accuracy, mean over users */
	double mae, rmse;       /* over all predictions */
} model_score;

typedef struct eval_row {
	uint32_t r;              /* ratings per user (protocol) or bucket lower bound (stream) */
	uint32_t r_hi;           /* stream: bucket upper bound (exclusive), 0 = open */
	uint32_t eligible;       /* users with >= r ratings */
	uint32_t users;          /* users sampled */
	uint64_t fallback_items; /* test items encoded without metadata */
	uint64_t test_items;
	model_score score[MODEL_COUNT];
} eval_row;

typedef struct eval_result {
	eval_row row[EVAL_MAX_R];
	uint32_t n_rows;
	double seconds[MODEL_COUNT]; /* time spent in each model, all rows */
} eval_result;

/* Runs the protocol for every R in o->ratings. Returns 0, or -1 with a reason in err. */
int eval_run(const ml_dataset *ds, const encoder *enc, const eval_opts *o, eval_result *res,
	     char *err, size_t errlen);
/* Streaming: every sampled user's ratings in time order, predict then learn; rows are buckets of
 * "ratings seen before this prediction". Models: WNN, WNN_BEST, USER_MEAN, ITEM_MEAN. */
int eval_stream(const ml_dataset *ds, const encoder *enc, const eval_opts *o, eval_result *res,
		char *err, size_t errlen);

void eval_print_table(FILE *f, const eval_result *res, unsigned models, int stream);
int eval_write_csv(const char *path, const eval_result *res, unsigned models, const char *mode,
		   char *err, size_t errlen);
int eval_write_json(const char *path, const eval_result *res, const eval_result *stream,
		    unsigned models, const char *meta_json, char *err, size_t errlen);
int eval_write_plot(const char *path, const eval_result *res, unsigned models, int stream,
		    const char *title, char *err, size_t errlen);

#endif
