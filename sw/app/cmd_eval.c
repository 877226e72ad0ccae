/* SPDX-License-Identifier: MIT */
/* cmd_eval.c - `wnnrec eval`: the paper's protocol, baselines, streaming; table, CSV, JSON, plot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "eval.h"

static const char eval_help[] =
	"usage: wnnrec eval [options]\n"
	"Runs the per-user protocol of arXiv 2511.05499 (docs/results.md): for each R, N users with\n"
	">= R ratings, R sampled ratings each, 80%% train / 20%% test, one agent per user; the\n"
	"baselines on the same splits. Prints a table; writes CSV, JSON and an SVG plot on request.\n"
	"  --ratings LIST       R values (default 5,10,25,100,200)\n"
	"  --users N|all        users per R (default 250)\n"
	"  --models LIST        all or some of wnn,wnn-best,constant,user-mean,item-mean,mlp,mf\n"
	"  --stream             also the streaming protocol: time order, predict then learn\n"
	"  --csv FILE  --json FILE  --plot FILE.svg  --predictions FILE.csv\n"
	"  --quiet              no progress on stderr\n";

static int parse_ratings(const char *s, eval_opts *o)
{
	o->n_ratings = 0;
	while (*s) {
		char *end;
		unsigned long v;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || end == s || v < 2 || v > 100000 || o->n_ratings == EVAL_MAX_R ||
		    (*end && *end != ','))
			return -1;
		o->ratings[o->n_ratings++] = (uint32_t)v;
		s = *end ? end + 1 : end;
	}
	return o->n_ratings ? 0 : -1;
}

static void config_json(char *buf, size_t n, const char *name, const wnn_config *c)
{
	static const char *const conn[] = {"full", "forward_forward", "random"};

	snprintf(buf, n,
		 "\"%s\": {\"connectivity\": \"%s\", \"recurrent\": %u, \"capacity\": %u, "
		 "\"settle_steps\": %u, \"threshold\": %u, \"tie\": \"%s\", \"reset\": \"%s\"}",
		 name, conn[c->connectivity], c->recurrent, c->capacity, c->settle_steps,
		 c->threshold, c->tie == WNN_TIE_ZERO ? "zero" : "random",
		 c->reset == WNN_RESET_ZERO ? "zero" : "random");
}

int cmd_eval(int argc, char **argv)
{
	cli_common c;
	cli_data d;
	eval_opts o;
	eval_result res, stream;
	const char *csv = NULL, *json = NULL, *plot = NULL, *preds = NULL;
	int do_stream = 0, quiet = 0, rc = 1;
	char err[512];
	double t0;
	struct timespec ts;

	cli_common_init(&c);
	eval_opts_default(&o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_common_option(&c, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("%s%s", eval_help, cli_common_help);
			return 0;
		} else if (!strcmp(a, "--stream")) {
			do_stream = 1;
		} else if (!strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (i + 1 < argc && !strcmp(a, "--ratings")) {
			if (parse_ratings(argv[++i], &o)) {
				fprintf(stderr, "wnnrec: --ratings: '%s' is not a list of numbers >= 2 "
						"(at most %d)\n", argv[i], EVAL_MAX_R);
				return 2;
			}
		} else if (i + 1 < argc && !strcmp(a, "--users")) {
			char *end;
			const char *v = argv[++i];
			unsigned long n = strtoul(v, &end, 10);
			if (!strcmp(v, "all"))
				o.users = 0;
			else if (*v == '-' || end == v || *end || n == 0 || n > 10000000) {
				fprintf(stderr, "wnnrec: --users: '%s' is not a positive number or 'all'\n", v);
				return 2;
			} else
				o.users = (uint32_t)n;
		} else if (i + 1 < argc && !strcmp(a, "--models")) {
			long m = eval_parse_models(argv[++i]);
			if (m < 0) {
				fprintf(stderr, "wnnrec: --models: '%s' names an unknown model\n", argv[i]);
				return 2;
			}
			o.models = (unsigned)m;
		} else if (i + 1 < argc && !strcmp(a, "--csv")) {
			csv = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--json")) {
			json = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--plot")) {
			plot = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--predictions")) {
			preds = argv[++i];
		} else {
			fprintf(stderr, "wnnrec eval: unknown or incomplete option '%s' (see --help)\n", a);
			return 2;
		}
	}
	if (cli_agent_config(&c))
		return 2;
	o.backend = c.backend;
	o.seed = c.seed;
	o.wnn = c.cfg;
	eval_wnn_best_config(&o.wnn_best);
	o.wnn_best.seed = c.seed;
	o.progress = quiet ? NULL : stderr;
	if (cli_data_load(&c, &d, quiet))
		return 1;
	if (preds) {
		o.predictions = fopen(preds, "w");
		if (!o.predictions) {
			fprintf(stderr, "wnnrec: %s: %s\n", preds, strerror(errno));
			goto out;
		}
		fprintf(o.predictions, "ratings,user,movie,rating,model,prediction\n");
	}
	if (!quiet)
		fprintf(stderr, "eval: encoding %s, join %s, backend %s, seed %llu, users per R: %u "
				"(0 = all eligible)\n",
			enc_name(c.enc), join_name(c.join), c.backend, (unsigned long long)c.seed, o.users);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	if (eval_run(&d.ds, &d.enc, &o, &res, err, sizeof(err))) {
		fprintf(stderr, "wnnrec: eval: %s\n", err);
		goto out;
	}
	if (do_stream && eval_stream(&d.ds, &d.enc, &o, &stream, err, sizeof(err))) {
		fprintf(stderr, "wnnrec: eval --stream: %s\n", err);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("Per-user protocol (arXiv 2511.05499): encoding %s, join %s, seed %llu, backend %s\n",
	       enc_name(c.enc), join_name(c.join), (unsigned long long)c.seed, c.backend);
	printf("within1 = |prediction - rating| <= 1 star, per user then averaged; exact, MAE, RMSE "
	       "against the rating as the encoding represents it\n\n");
	eval_print_table(stdout, &res, o.models, 0);
	for (uint32_t i = 0; i < res.n_rows; i++)
		if (res.row[i].fallback_items)
			printf("\nR=%u: %llu of %llu test items had no metadata and used the fallback "
			       "features", res.row[i].r, (unsigned long long)res.row[i].fallback_items,
			       (unsigned long long)res.row[i].test_items);
	printf("\n");
	if (do_stream) {
		printf("\nStreaming (each user's ratings in time order: predict, then learn):\n\n");
		eval_print_table(stdout, &stream, o.models, 1);
	}
	fprintf(stderr, "eval: %.2f s (", (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 - t0);
	for (int m = 0; m < MODEL_COUNT; m++)
		if (o.models & (1u << m))
			fprintf(stderr, "%s%s %.2f s", m ? ", " : "", eval_model_name(m), res.seconds[m]);
	fprintf(stderr, ")\n");

	if (csv && eval_write_csv(csv, &res, o.models, "protocol", err, sizeof(err))) {
		fprintf(stderr, "wnnrec: %s\n", err);
		goto out;
	}
	if (csv && do_stream) {
		char path[4096];
		snprintf(path, sizeof(path), "%.*s.stream.csv",
			 (int)(strlen(csv) > 4 && !strcmp(csv + strlen(csv) - 4, ".csv") ? strlen(csv) - 4
											   : strlen(csv)),
			 csv);
		if (eval_write_csv(path, &stream, o.models, "stream", err, sizeof(err))) {
			fprintf(stderr, "wnnrec: %s\n", err);
			goto out;
		}
	}
	if (json) {
		char run[2048], a[400], b[400];
		config_json(a, sizeof(a), "wnn", &o.wnn);
		config_json(b, sizeof(b), "wnn-best", &o.wnn_best);
		snprintf(run, sizeof(run),
			 "{\"data\": \"%s\", \"meta\": %s, \"encoding\": \"%s\", \"join\": \"%s\", "
			 "\"seed\": %llu, \"backend\": \"%s\", \"users_per_r\": %u, %s, %s}",
			 c.data, d.have_meta ? "true" : "false", enc_name(c.enc), join_name(c.join),
			 (unsigned long long)c.seed, c.backend, o.users, a, b);
		if (eval_write_json(json, &res, do_stream ? &stream : NULL, o.models, run, err,
				    sizeof(err))) {
			fprintf(stderr, "wnnrec: %s\n", err);
			goto out;
		}
	}
	if (plot) {
		char title[256];
		snprintf(title, sizeof(title), "MovieLens, %s encoding, %s join: within-one-star accuracy",
			 enc_name(c.enc), join_name(c.join));
		if (eval_write_plot(plot, &res, o.models, 0, title, err, sizeof(err))) {
			fprintf(stderr, "wnnrec: %s\n", err);
			goto out;
		}
	}
	rc = 0;
out:
	if (o.predictions && fclose(o.predictions) && !rc) {
		fprintf(stderr, "wnnrec: %s: %s\n", preds, strerror(errno));
		rc = 1;
	}
	cli_data_free(&d);
	return rc;
}
