/* SPDX-License-Identifier: MIT */
/* cmd_recommend.c - `wnnrec recommend`: top-N unseen movies for one user, each with the stored
 * ratings that decided it (docs/algorithm.md §9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char recommend_help[] =
	"usage: wnnrec recommend --user ID [--top N] [options]\n"
	"Trains one agent on every rating of the user (time order), predicts every movie the user\n"
	"has not rated, and lists the N best with the user's own ratings that produced each pick.\n"
	"Ties in predicted stars go to the movie with more ratings in the data set.\n"
	"  --user ID   MovieLens user id\n"
	"  --top N     how many (default 10)\n"
	"  (the agent defaults to --agent best)\n";

typedef struct candidate {
	double stars;
	uint32_t popularity;
	size_t mi;
} candidate;

static int by_score(const void *pa, const void *pb)
{
	const candidate *a = pa, *b = pb;

	if (a->stars != b->stars)
		return a->stars < b->stars ? 1 : -1;
	if (a->popularity != b->popularity)
		return a->popularity < b->popularity ? 1 : -1;
	return a->mi < b->mi ? -1 : a->mi > b->mi;
}

int cmd_recommend(int argc, char **argv)
{
	cli_common c;
	cli_data d;
	item_stats st = {0};
	unsigned long user = 0, top = 10;
	int have_user = 0, rc = 1;
	size_t first = 0, n = 0, n_cand = 0;
	size_t *rated_mi = NULL;
	unsigned char *rated = NULL;
	candidate *cand = NULL;
	wnn_ctx *ctx = NULL;
	wnn_agent *agent = NULL;
	char err[256];

	cli_common_init(&c);
	c.agent = "best";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_common_option(&c, argc, argv, &i);
		char *end;
		if (r < 0)
			return 2;
		if (r)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("%s%s", recommend_help, cli_common_help);
			return 0;
		} else if (i + 1 < argc && !strcmp(a, "--user")) {
			user = strtoul(argv[++i], &end, 10);
			if (end == argv[i] || *end || argv[i][0] == '-') {
				fprintf(stderr, "wnnrec: --user: '%s' is not a user id\n", argv[i]);
				return 2;
			}
			have_user = 1;
		} else if (i + 1 < argc && !strcmp(a, "--top")) {
			top = strtoul(argv[++i], &end, 10);
			if (end == argv[i] || *end || top < 1 || top > 1000) {
				fprintf(stderr, "wnnrec: --top: '%s' is not in 1..1000\n", argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "wnnrec recommend: unknown or incomplete option '%s' (see --help)\n", a);
			return 2;
		}
	}
	if (!have_user) {
		fprintf(stderr, "wnnrec recommend: --user ID is required (see --help)\n");
		return 2;
	}
	if (cli_agent_config(&c) || cli_data_load(&c, &d, 1))
		return 2;
	while (first < d.ds.n_ratings && d.ds.ratings[first].user < user)
		first++;
	while (first + n < d.ds.n_ratings && d.ds.ratings[first + n].user == user)
		n++;
	if (!n) {
		fprintf(stderr, "wnnrec: user %lu has no ratings in %s\n", user, c.data);
		goto out;
	}
	if (item_stats_init(&st, d.ds.n_movies))
		goto oom;
	rated = calloc(d.ds.n_movies + 1, 1);
	rated_mi = calloc(n, sizeof(*rated_mi));
	cand = calloc(d.ds.n_movies + 1, sizeof(*cand));
	if (!rated || !rated_mi || !cand)
		goto oom;
	for (size_t i = 0; i < d.ds.n_ratings; i++) {
		long mi = movie_index(&d.ds, d.ds.ratings[i].movie);
		if (mi >= 0) {
			st.count[mi]++;
			st.sum[mi] += d.ds.ratings[i].rating;
		}
	}
	if (c.cfg.capacity < n)
		c.cfg.capacity = (uint32_t)n;
	if (wnn_ctx_open(&ctx, c.backend, err, sizeof(err))) {
		fprintf(stderr, "wnnrec: backend: %s\n", err);
		goto out;
	}
	if (wnn_agent_create(ctx, &c.cfg, &agent))
		goto agent_err;
	{
		size_t ranks = 0;
		for (size_t i = 0; i < n; i++) {
			const ml_rating *r = &d.ds.ratings[first + i];
			long mi = movie_index(&d.ds, r->movie);
			if (mi < 0 || !encoder_keeps(&d.enc, (size_t)mi))
				continue;
			rated[mi] = 1;
			if (wnn_train(agent, encode_item(&d.enc, (size_t)mi, &st),
				      encode_rating(c.enc, r->rating)))
				goto agent_err;
			rated_mi[ranks++] = (size_t)mi;
		}
		printf("user %lu: %zu ratings learned by a %s agent\n", user, ranks, c.agent);
	}
	for (size_t mi = 0; mi < d.ds.n_movies; mi++) {
		uint64_t z;
		if (rated[mi] || !encoder_keeps(&d.enc, mi) || !st.count[mi])
			continue; /* recommend movies someone has rated: the catalogue of the data set */
		if (wnn_predict(agent, encode_item(&d.enc, mi, &st), &z))
			goto agent_err;
		cand[n_cand++] = (candidate){decode_rating(c.enc, z), st.count[mi], mi};
	}
	qsort(cand, n_cand, sizeof(*cand), by_score);
	for (size_t k = 0; k < n_cand && k < top; k++) {
		const ml_movie *mv = &d.ds.movies[cand[k].mi];
		wnn_explanation ex;
		if (wnn_explain(agent, encode_item(&d.enc, cand[k].mi, &st), &ex))
			goto agent_err;
		printf("%2zu. %.1f stars  %s (movie %u, %u ratings)\n", k + 1, cand[k].stars, mv->title,
		       mv->id, cand[k].popularity);
		printf("      nearest of your ratings (%u entr%s decided it):", ex.n_entries,
		       ex.n_entries == 1 ? "y" : "ies");
		for (uint32_t e = 0; e < ex.n_entries && e < 3; e++) {
			const ml_movie *src = &d.ds.movies[rated_mi[ex.rank[e]]];
			uint32_t dist = WNN_NO_MATCH;
			for (uint32_t b = 0; b < ex.out_bits; b++)
				if ((ex.bits[e] >> b & 1u) && ex.bit[b].distance < dist)
					dist = ex.bit[b].distance;
			printf("%s %s (%.1f stars, distance %u)", e ? ";" : "", src->title,
			       decode_rating(c.enc, ex.y[e]), dist);
		}
		printf("%s\n", ex.n_entries > 3 ? "; ..." : "");
		wnn_explanation_free(&ex);
	}
	rc = 0;
	goto out;
agent_err:
	fprintf(stderr, "wnnrec: agent: %s\n", wnn_ctx_errmsg(ctx));
	goto out;
oom:
	fprintf(stderr, "wnnrec: out of memory\n");
out:
	wnn_ctx_close(ctx);
	item_stats_free(&st);
	free(rated);
	free(rated_mi);
	free(cand);
	cli_data_free(&d);
	return rc;
}
