/* SPDX-License-Identifier: MIT */
/* cli.c - options and data loading shared by the wnnrec subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "eval.h"

const char cli_common_help[] =
	"data:\n"
	"  --data DIR           MovieLens directory (ml-latest[-small] CSV, ml-100k, ml-1m)\n"
	"                       default: $WNNREC_DATA or ../shared/data/ml-latest-small\n"
	"  --meta FILE          Kaggle movies_metadata.csv (TMDB); default: the shared copy if present\n"
	"  --no-meta            use MovieLens genres and training statistics only\n"
	"  --encoding E         paper | corrected (default corrected)\n"
	"  --join J             links (correct) | paper (movieId taken as TMDB id) (default links)\n"
	"  --seed S             sampling and agent seed (default 1000)\n"
	"agent:\n"
	"  --backend B          golden | verilator[:trace.fst] | uart:DEV[@BAUD] | mmio:DEV (default golden)\n"
	"  --agent A            paper | best: base configuration (docs/results.md)\n"
	"  --connectivity C     full | forward_forward | random\n"
	"  --random-k K         inputs per neuron for random connectivity\n"
	"  --recurrent 0|1      Q reads Q and Z reads Z (the paper) or feedforward\n"
	"  --capacity N         stored entries per agent\n"
	"  --settle N           state steps per prediction (default 5)\n"
	"  --threshold D        largest matching distance (default none)\n"
	"  --tie random|zero    --reset zero|random    --overflow reject|evict\n";

const char *cli_default_data(void)
{
	const char *env = getenv("WNNREC_DATA");

	if (env && *env)
		return env;
	return "../shared/data/ml-latest-small";
}

const char *cli_default_meta(void)
{
	const char *env = getenv("WNNREC_META");
	const char *shared = "../shared/data/the-movies-dataset/movies_metadata.ml-latest-small.csv";

	if (env && *env)
		return env;
	return access(shared, R_OK) == 0 ? shared : NULL;
}

void cli_common_init(cli_common *c)
{
	memset(c, 0, sizeof(*c));
	c->backend = "golden";
	c->enc = ENC_CORRECTED;
	c->join = JOIN_LINKS;
	c->seed = 1000;
	c->agent = "paper";
	eval_wnn_paper_config(&c->cfg);
}

static int parse_u64(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		fprintf(stderr, "wnnrec: %s: '%s' is not a number in 0..%llu\n", opt, s,
			(unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_common_option(cli_common *c, int argc, char **argv, int *i)
{
	const char *opt = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	uint64_t v;

	if (!strcmp(opt, "--no-meta")) {
		c->no_meta = 1;
		return 1;
	}
	if (strncmp(opt, "--", 2))
		return 0;
	static const char *const valued[] = {
		"--data", "--meta", "--encoding", "--join", "--seed", "--backend", "--agent",
		"--connectivity", "--random-k", "--recurrent", "--capacity", "--settle",
		"--threshold", "--tie", "--reset", "--overflow",
	};
	int known = 0;
	for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++)
		known |= !strcmp(opt, valued[k]);
	if (!known)
		return 0;
	if (!val) {
		fprintf(stderr, "wnnrec: %s needs a value\n", opt);
		return -1;
	}
	(*i)++;
	if (!strcmp(opt, "--data"))
		c->data = val;
	else if (!strcmp(opt, "--meta"))
		c->meta = val;
	else if (!strcmp(opt, "--backend"))
		c->backend = val;
	else if (!strcmp(opt, "--encoding")) {
		if (strcmp(val, "paper") && strcmp(val, "corrected"))
			goto bad;
		c->enc = strcmp(val, "paper") ? ENC_CORRECTED : ENC_PAPER;
	} else if (!strcmp(opt, "--join")) {
		if (strcmp(val, "paper") && strcmp(val, "links"))
			goto bad;
		c->join = strcmp(val, "paper") ? JOIN_LINKS : JOIN_PAPER;
	} else if (!strcmp(opt, "--seed")) {
		if (parse_u64(opt, val, UINT64_MAX, &c->seed))
			return -1;
	} else if (!strcmp(opt, "--agent")) {
		if (strcmp(val, "paper") && strcmp(val, "best"))
			goto bad;
		c->agent = val;
	} else {
		/* agent overrides: recorded in ov_* fields of cfg after --agent is applied */
		c->cfg_overridden = 1;
		if (!strcmp(opt, "--connectivity")) {
			if (!strcmp(val, "full"))
				c->ov_conn = WNN_CONN_FULL + 1;
			else if (!strcmp(val, "forward_forward"))
				c->ov_conn = WNN_CONN_FORWARD_FORWARD + 1;
			else if (!strcmp(val, "random"))
				c->ov_conn = WNN_CONN_RANDOM + 1;
			else
				goto bad;
		} else if (!strcmp(opt, "--tie")) {
			if (strcmp(val, "random") && strcmp(val, "zero"))
				goto bad;
			c->ov_tie = strcmp(val, "zero") ? WNN_TIE_RANDOM + 1 : WNN_TIE_ZERO + 1;
		} else if (!strcmp(opt, "--reset")) {
			if (strcmp(val, "random") && strcmp(val, "zero"))
				goto bad;
			c->ov_reset = strcmp(val, "zero") ? WNN_RESET_RANDOM + 1 : WNN_RESET_ZERO + 1;
		} else if (!strcmp(opt, "--overflow")) {
			if (strcmp(val, "reject") && strcmp(val, "evict"))
				goto bad;
			c->ov_overflow = strcmp(val, "evict") ? WNN_OVERFLOW_REJECT + 1
							      : WNN_OVERFLOW_EVICT + 1;
		} else {
			uint64_t max = !strcmp(opt, "--capacity")    ? WNN_MAX_CAPACITY
				       : !strcmp(opt, "--settle")    ? 255
				       : !strcmp(opt, "--threshold") ? WNN_NO_THRESHOLD
				       : !strcmp(opt, "--recurrent") ? 1
								     : 128;
			if (parse_u64(opt, val, max, &v))
				return -1;
			if (!strcmp(opt, "--capacity"))
				c->ov_capacity = (uint32_t)v + 1;
			else if (!strcmp(opt, "--settle"))
				c->ov_settle = (uint32_t)v + 1;
			else if (!strcmp(opt, "--threshold"))
				c->ov_threshold = (uint32_t)v + 1;
			else if (!strcmp(opt, "--recurrent"))
				c->ov_recurrent = (uint32_t)v + 1;
			else
				c->ov_k = (uint32_t)v + 1;
		}
	}
	return 1;
bad:
	fprintf(stderr, "wnnrec: %s: unknown value '%s' (see --help)\n", opt, val);
	return -1;
}

int cli_agent_config(cli_common *c)
{
	wnn_config *cfg = &c->cfg;

	if (!strcmp(c->agent, "best"))
		eval_wnn_best_config(cfg);
	else
		eval_wnn_paper_config(cfg);
	cfg->seed = c->seed;
	if (c->ov_conn)
		cfg->connectivity = (wnn_connectivity)(c->ov_conn - 1);
	if (c->ov_k)
		cfg->random_k = c->ov_k - 1;
	if (c->ov_recurrent)
		cfg->recurrent = c->ov_recurrent - 1;
	if (c->ov_capacity)
		cfg->capacity = c->ov_capacity - 1;
	if (c->ov_settle)
		cfg->settle_steps = c->ov_settle - 1;
	if (c->ov_threshold)
		cfg->threshold = c->ov_threshold - 1;
	if (c->ov_tie)
		cfg->tie = (wnn_tie_policy)(c->ov_tie - 1);
	if (c->ov_reset)
		cfg->reset = (wnn_reset_policy)(c->ov_reset - 1);
	if (c->ov_overflow)
		cfg->overflow = (wnn_overflow_policy)(c->ov_overflow - 1);
	if (wnn_config_check(cfg)) {
		fprintf(stderr, "wnnrec: the agent options give an invalid configuration "
				"(capacity 1..%u, settle 1..255, random-k within the source width)\n",
			WNN_MAX_CAPACITY);
		return -1;
	}
	return 0;
}

int cli_data_load(cli_common *c, cli_data *d, int quiet)
{
	char err[512];
	const char *meta = c->no_meta ? NULL : c->meta ? c->meta : cli_default_meta();

	memset(d, 0, sizeof(*d));
	if (!c->data)
		c->data = cli_default_data();
	if (ml_load(c->data, &d->ds, err, sizeof(err))) {
		fprintf(stderr, "wnnrec: %s\n", err);
		if (access(c->data, R_OK))
			fprintf(stderr, "wnnrec: get MovieLens from grouplens.org/datasets/movielens/ "
					"and pass --data DIR (see README.md)\n");
		return -1;
	}
	if (meta) {
		if (tmdb_load(meta, &d->meta, err, sizeof(err))) {
			fprintf(stderr, "wnnrec: %s\n", err);
			cli_data_free(d);
			return -1;
		}
		d->have_meta = 1;
	}
	if (encoder_init(&d->enc, c->enc, c->join, &d->ds, d->have_meta ? &d->meta : NULL, err,
			 sizeof(err))) {
		fprintf(stderr, "wnnrec: %s\n", err);
		cli_data_free(d);
		return -1;
	}
	if (!quiet) {
		fprintf(stderr, "data: %s (%s): %zu ratings, %u users, %zu movies\n", c->data,
			ml_format_name(d->ds.format), d->ds.n_ratings, d->ds.n_users, d->ds.n_movies);
		if (d->have_meta)
			fprintf(stderr, "meta: %s: %zu movies (%zu malformed rows skipped); join %s: "
					"%zu of %zu movies have metadata, the rest %s\n",
				meta, d->meta.n_movies, d->meta.n_malformed, join_name(c->join),
				d->enc.n_with_meta, d->ds.n_movies,
				c->join == JOIN_PAPER ? "are dropped (inner join, as the reference)"
						      : "fall back to MovieLens genres and training statistics");
		else
			fprintf(stderr, "meta: none; every movie uses MovieLens genres and training "
					"statistics\n");
	}
	return 0;
}

void cli_data_free(cli_data *d)
{
	encoder_free(&d->enc);
	if (d->have_meta)
		tmdb_free(&d->meta);
	ml_free(&d->ds);
	memset(d, 0, sizeof(*d));
}
