/* SPDX-License-Identifier: MIT */
/* encode.c - docs/algorithm.md §11. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"

/* §11: the paper's genre bits, bit 0 first. */
static const int paper_genres[10] = {
	GENRE_DRAMA, GENRE_COMEDY, GENRE_ACTION, GENRE_ROMANCE, GENRE_DOCUMENTARY,
	GENRE_THRILLER, GENRE_ADVENTURE, GENRE_FANTASY, GENRE_CRIME, GENRE_HORROR,
};
static const double tmdb_count_steps[10] = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
static const double ml_count_steps[10] = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89};

const char *enc_name(enc_kind k)
{
	return k == ENC_PAPER ? "paper" : "corrected";
}

const char *join_name(join_kind k)
{
	return k == JOIN_PAPER ? "paper" : "links";
}

long movie_index(const ml_dataset *ds, uint32_t movie_id)
{
	const ml_movie *m = ml_find_movie(ds, movie_id);

	return m ? (long)(m - ds->movies) : -1;
}

int encoder_init(encoder *e, enc_kind enc, join_kind join, const ml_dataset *ds,
		 const tmdb_meta *meta, char *err, size_t errlen)
{
	memset(e, 0, sizeof(*e));
	if (join == JOIN_PAPER && !meta) {
		snprintf(err, errlen, "--join paper needs movie metadata (--meta FILE)");
		return -1;
	}
	e->enc = enc;
	e->join = join;
	e->ds = ds;
	e->meta = meta;
	e->meta_of = calloc(ds->n_movies ? ds->n_movies : 1, sizeof(*e->meta_of));
	if (!e->meta_of) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; meta && i < ds->n_movies; i++) {
		const ml_movie *m = &ds->movies[i];
		int64_t key = join == JOIN_PAPER ? (int64_t)m->id : m->tmdb_id;
		e->meta_of[i] = key >= 0 ? tmdb_find(meta, key) : NULL;
		e->n_with_meta += e->meta_of[i] != NULL;
	}
	return 0;
}

void encoder_free(encoder *e)
{
	free(e->meta_of);
	e->meta_of = NULL;
}

int encoder_keeps(const encoder *e, size_t mi)
{
	return e->join == JOIN_LINKS || e->meta_of[mi] != NULL;
}

static uint64_t genre_bits(uint32_t genres)
{
	uint64_t v = 0;

	for (int b = 0; b < 10; b++)
		if (genres & (UINT32_C(1) << paper_genres[b]))
			v |= UINT64_C(1) << b;
	return v;
}

static uint64_t language_code(const char *lang)
{
	static const struct {
		const char *lang;
		unsigned code;
	} codes[] = {{"en", 0}, {"fr", 1}, {"de", 2}, {"ja", 3}, {"it", 4}, {"es", 6}};

	for (size_t i = 0; lang && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (!strcmp(lang, codes[i].lang))
			return codes[i].code;
	return 7;
}

static uint64_t thermometer(double v, const double *steps, int n)
{
	uint64_t t = 0;

	for (int i = 0; i < n; i++)
		if (v >= steps[i])
			t |= UINT64_C(1) << i;
	return t;
}

uint64_t encode_item(const encoder *e, size_t mi, const item_stats *st)
{
	const tmdb_movie *md = e->meta_of[mi];
	uint32_t count = st ? st->count[mi] : 0;
	double mean = count ? st->sum[mi] / count : 0.0;
	uint64_t genres, votes, avg, lang;

	if (e->enc == ENC_PAPER) {
		/* The reference reads everything from TMDB; without metadata (links join only) the
		 * MovieLens genres and training statistics stand in, scaled to TMDB's units. */
		double va = md ? md->vote_average : mean * 2.0;
		int64_t vc = md ? md->vote_count : (int64_t)count;
		genres = genre_bits(md ? md->genres : e->ds->movies[mi].genres);
		votes = UINT64_C(1) << (vc < 0 ? 0 : (vc >= 900 ? 9 : vc / 100));
		avg = va < 1 ? 0 : va < 2 ? 1 : va < 3 ? 2 : va < 4 ? 3 : 7;
		lang = language_code(md ? md->lang : "en");
	} else {
		static const double avg_steps[3] = {5.5, 6.5, 7.5};
		uint32_t g = md && md->genres ? md->genres : e->ds->movies[mi].genres;
		genres = genre_bits(g);
		votes = md && md->vote_count >= 0 ? thermometer((double)md->vote_count, tmdb_count_steps, 10)
						  : thermometer(count, ml_count_steps, 10);
		avg = thermometer(md && md->vote_average >= 0 ? md->vote_average : mean * 2.0,
				  avg_steps, 3);
		lang = language_code(md ? md->lang : NULL);
	}
	return genres | votes << 10 | avg << 20 | lang << 23;
}

uint64_t encode_rating(enc_kind enc, float stars)
{
	int ones = enc == ENC_PAPER ? 2 * (int)floorf(stars) : (int)lrintf(2.0f * stars);

	if (ones < 0)
		ones = 0;
	if (ones > 10)
		ones = 10;
	return (UINT64_C(1) << ones) - 1u;
}

double decode_rating(enc_kind enc, uint64_t z)
{
	double r = (double)__builtin_popcountll(z) / 2.0;

	return enc == ENC_CORRECTED && r < 0.5 ? 0.5 : r;
}

double target_rating(enc_kind enc, float stars)
{
	return decode_rating(enc, encode_rating(enc, stars));
}

double quantize_rating(enc_kind enc, double stars)
{
	double q = enc == ENC_PAPER ? floor(stars + 0.5) : floor(stars * 2.0 + 0.5) / 2.0;
	double lo = enc == ENC_PAPER ? 0.0 : 0.5;

	return q < lo ? lo : q > 5.0 ? 5.0 : q;
}

int item_stats_init(item_stats *st, size_t n_movies)
{
	st->n = n_movies;
	st->count = calloc(n_movies ? n_movies : 1, sizeof(*st->count));
	st->sum = calloc(n_movies ? n_movies : 1, sizeof(*st->sum));
	if (!st->count || !st->sum) {
		item_stats_free(st);
		return -1;
	}
	return 0;
}

void item_stats_free(item_stats *st)
{
	free(st->count);
	free(st->sum);
	st->count = NULL;
	st->sum = NULL;
}
