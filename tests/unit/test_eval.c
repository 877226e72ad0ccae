/* SPDX-License-Identifier: MIT */
/* test_eval.c - encodings (docs/algorithm.md §11) and the evaluation protocol's guarantees. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encode.h"
#include "eval.h"

Test(encode, paper_rating_drops_half_stars)
{
	cr_assert_eq(encode_rating(ENC_PAPER, 3.5f), 0x3F, "3.5 -> 3 stars -> 6 ones");
	cr_assert_eq(encode_rating(ENC_PAPER, 5.0f), 0x3FF);
	cr_assert_eq(encode_rating(ENC_PAPER, 0.5f), 0x0);
	cr_assert_float_eq(target_rating(ENC_PAPER, 4.5f), 4.0, 1e-9);
}

Test(encode, corrected_rating_keeps_half_stars)
{
	cr_assert_eq(encode_rating(ENC_CORRECTED, 3.5f), 0x7F, "3.5 -> 7 ones");
	cr_assert_eq(encode_rating(ENC_CORRECTED, 0.5f), 0x1);
	cr_assert_float_eq(decode_rating(ENC_CORRECTED, 0x7F), 3.5, 1e-9);
	cr_assert_float_eq(decode_rating(ENC_CORRECTED, 0), 0.5, 1e-9, "0 ones decode to 0.5");
	cr_assert_float_eq(decode_rating(ENC_PAPER, 0x155), 2.5, 1e-9, "not a thermometer: ones / 2");
	cr_assert_float_eq(quantize_rating(ENC_CORRECTED, 3.74), 3.5, 1e-9);
	cr_assert_float_eq(quantize_rating(ENC_PAPER, 3.74), 4.0, 1e-9);
}

/* A one-movie world to read the item bits. */
static uint64_t encode_one(enc_kind k, const tmdb_movie *md, uint32_t genres, uint32_t count,
			   double sum)
{
	ml_movie mv = {1, (char *)"m", genres, 5};
	ml_dataset ds = {0};
	tmdb_meta meta = {0};
	tmdb_movie row;
	item_stats st = {&count, &sum, 1};
	encoder e;
	char err[64];
	uint64_t x;

	ds.movies = &mv;
	ds.n_movies = 1;
	if (md) {
		row = *md;
		row.id = 5;
		meta.movies = &row;
		meta.n_movies = 1;
	}
	cr_assert_eq(encoder_init(&e, k, JOIN_LINKS, &ds, md ? &meta : NULL, err, sizeof(err)), 0);
	x = encode_item(&e, 0, &st);
	encoder_free(&e);
	return x;
}

Test(encode, paper_item_bits_follow_the_reference)
{
	tmdb_movie md = {0, 1u << GENRE_DRAMA | 1u << GENRE_HORROR, "fr", 7.7, 5415};
	uint64_t x = encode_one(ENC_PAPER, &md, 0, 0, 0);

	cr_assert_eq(x & 0x3FF, 0x201, "drama bit 0, horror bit 9");
	cr_assert_eq(x >> 10 & 0x3FF, 1u << 9, "vote count >= 900: last one-hot bin");
	cr_assert_eq(x >> 20 & 7, 7, "vote average 7.7 >= 4: 111 (the reference's defect)");
	cr_assert_eq(x >> 23 & 7, 1, "fr = 001");
	md.vote_count = 250;
	md.vote_average = 2.5;
	strcpy(md.lang, "es");
	x = encode_one(ENC_PAPER, &md, 0, 0, 0);
	cr_assert_eq(x >> 10 & 0x3FF, 1u << 2);
	cr_assert_eq(x >> 20 & 7, 2);
	cr_assert_eq(x >> 23 & 7, 6);
}

Test(encode, corrected_item_bits_are_thermometers_and_fall_back)
{
	tmdb_movie md = {0, 1u << GENRE_COMEDY, "en", 6.6, 120};
	uint64_t x = encode_one(ENC_CORRECTED, &md, 0, 0, 0);

	cr_assert_eq(x & 0x3FF, 0x2, "comedy bit 1");
	cr_assert_eq(x >> 10 & 0x3FF, 0x1F, "120 votes reach 5, 10, 25, 50, 100");
	cr_assert_eq(x >> 20 & 7, 0x3, "6.6 reaches 5.5 and 6.5");
	cr_assert_eq(x >> 23 & 7, 0, "en");
	/* no metadata: MovieLens genres, 4 training ratings averaging 3.5 stars (= 7.0) */
	x = encode_one(ENC_CORRECTED, NULL, 1u << GENRE_ACTION, 4, 14.0);
	cr_assert_eq(x & 0x3FF, 0x4, "action bit 2");
	cr_assert_eq(x >> 10 & 0x3FF, 0x7, "4 ratings reach 1, 2, 3");
	cr_assert_eq(x >> 20 & 7, 0x3, "mean 3.5 stars = 7.0 on TMDB's scale");
	cr_assert_eq(x >> 23 & 7, 7, "unknown language");
}

/* Writes a MovieLens-layout directory where every movie has exactly one rating, alternating
 * 1.0 and 5.0 stars: a model that saw a test rating would score it exactly. */
static void write_world(const char *dir, int users, int per_user)
{
	char path[256];
	FILE *f;
	int movie = 1;

	snprintf(path, sizeof(path), "%s/movies.csv", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "movieId,title,genres\n");
	for (int m = 1; m <= users * per_user; m++)
		fprintf(f, "%d,\"Movie %d, The (2000)\",%s\n", m, m, m % 2 ? "Drama" : "Comedy");
	fclose(f);
	snprintf(path, sizeof(path), "%s/ratings.csv", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "userId,movieId,rating,timestamp\n");
	for (int u = 1; u <= users; u++)
		for (int i = 0; i < per_user; i++, movie++)
			fprintf(f, "%d,%d,%.1f,%d\n", u, movie, movie % 2 ? 1.0 : 5.0, 1000 + i);
	fclose(f);
}

Test(eval, held_out_ratings_never_reach_item_statistics)
{
	char dir[] = "/tmp/wnn_eval_XXXXXX", err[256], cmd[64];
	ml_dataset ds;
	encoder enc;
	eval_opts o;
	eval_result res;

	cr_assert_not_null(mkdtemp(dir));
	write_world(dir, 12, 10);
	cr_assert_eq(ml_load(dir, &ds, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(encoder_init(&enc, ENC_CORRECTED, JOIN_LINKS, &ds, NULL, err, sizeof(err)), 0);
	eval_opts_default(&o);
	o.ratings[0] = 10;
	o.n_ratings = 1;
	o.users = 0;
	o.models = 1u << MODEL_ITEM_MEAN | 1u << MODEL_USER_MEAN | 1u << MODEL_WNN;
	cr_assert_eq(eval_run(&ds, &enc, &o, &res, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(res.n_rows, 1);
	cr_assert_eq(res.row[0].users, 12);
	cr_assert_eq(res.row[0].score[MODEL_ITEM_MEAN].predictions, 24, "2 test ratings per user");
	/* every test movie is unseen in training: item-mean answers the training mean (about 3
	 * stars), at least 1.5 stars from every test rating; a leak would answer it exactly */
	cr_assert_gt(res.row[0].score[MODEL_ITEM_MEAN].mae, 1.5, "MAE %f",
		     res.row[0].score[MODEL_ITEM_MEAN].mae);
	cr_assert_float_eq(res.row[0].score[MODEL_ITEM_MEAN].within1_mean, 0.0, 1e-9);
	cr_assert_float_eq(res.row[0].score[MODEL_ITEM_MEAN].exact_mean, 0.0, 1e-9);
	encoder_free(&enc);
	ml_free(&ds);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(eval, runs_are_reproducible_for_a_seed)
{
	char dir[] = "/tmp/wnn_eval_XXXXXX", err[256], cmd[64];
	ml_dataset ds;
	encoder enc;
	eval_opts o;
	eval_result a, b;

	cr_assert_not_null(mkdtemp(dir));
	write_world(dir, 30, 12);
	cr_assert_eq(ml_load(dir, &ds, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(encoder_init(&enc, ENC_PAPER, JOIN_LINKS, &ds, NULL, err, sizeof(err)), 0);
	eval_opts_default(&o);
	o.ratings[0] = 5;
	o.ratings[1] = 10;
	o.n_ratings = 2;
	o.users = 20;
	cr_assert_eq(eval_run(&ds, &enc, &o, &a, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(eval_run(&ds, &enc, &o, &b, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(a.row[1].users, 20);
	for (uint32_t i = 0; i < a.n_rows; i++)
		cr_assert_eq(memcmp(a.row[i].score, b.row[i].score, sizeof(a.row[i].score)), 0,
			     "row %u differs between two runs with one seed", i);
	encoder_free(&enc);
	ml_free(&ds);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(eval, model_lists_parse)
{
	cr_assert_eq(eval_parse_models("wnn,mf"), (1L << MODEL_WNN) | (1L << MODEL_MF));
	cr_assert_eq(eval_parse_models("all"), (1L << MODEL_COUNT) - 1);
	cr_assert_eq(eval_parse_models("wnn,nope"), -1);
	cr_assert_eq(eval_parse_models(""), -1);
}
