/* SPDX-License-Identifier: MIT */
/* encode.h - movies and ratings to agent bits (docs/algorithm.md §11). */
#ifndef WNNREC_ENCODE_H
#define WNNREC_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

typedef enum enc_kind { ENC_PAPER, ENC_CORRECTED } enc_kind;
typedef enum join_kind { JOIN_LINKS, JOIN_PAPER } join_kind;

#define ENC_IN_BITS 26u
#define ENC_OUT_BITS 10u

/* Per-movie statistics of the training ratings (indexed like ds->movies). */
typedef struct item_stats {
	uint32_t *count;
	double *sum;
	size_t n;
} item_stats;

typedef struct encoder {
	enc_kind enc;
	join_kind join;
	const ml_dataset *ds;
	const tmdb_meta *meta;
	const tmdb_movie **meta_of; /* per movie index: its metadata row, or NULL */
	size_t n_with_meta;
} encoder;

/* meta may be NULL. JOIN_PAPER looks movieId up as a TMDB id (the reference code's defect) and
 * needs meta. Returns 0 or -1 with a reason in err. */
int encoder_init(encoder *e, enc_kind enc, join_kind join, const ml_dataset *ds,
		 const tmdb_meta *meta, char *err, size_t errlen);
void encoder_free(encoder *e);

/* Index of movie_id in ds->movies, or -1. */
long movie_index(const ml_dataset *ds, uint32_t movie_id);
/* Whether a rating of movie index mi takes part: JOIN_PAPER drops movies without a metadata match
 * (an inner join, as the reference did); JOIN_LINKS keeps every movie (fallback features). */
int encoder_keeps(const encoder *e, size_t mi);
/* 26 input bits of movie index mi; st gives the fallback statistics (may be NULL: zeros). */
uint64_t encode_item(const encoder *e, size_t mi, const item_stats *st);

uint64_t encode_rating(enc_kind enc, float stars);
/* Stars of a Z vector: popcount / 2 (corrected: at least 0.5). */
double decode_rating(enc_kind enc, uint64_t z);
/* The rating as the encoding represents it: what predictions are scored against. */
double target_rating(enc_kind enc, float stars);
/* Nearest rating the encoding can represent (for exact-match accuracy). */
double quantize_rating(enc_kind enc, double stars);

int item_stats_init(item_stats *st, size_t n_movies);
void item_stats_free(item_stats *st);

const char *enc_name(enc_kind k);
const char *join_name(join_kind k);

#endif
