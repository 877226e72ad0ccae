/* SPDX-License-Identifier: MIT */
/* eval.c - the per-user protocol of the reference paper (PAPER.md) and a streaming protocol. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "baselines.h"
#include "eval.h"
#include "rng.h"

static const char *const model_names[MODEL_COUNT] = {
	"wnn", "wnn-best", "constant", "user-mean", "item-mean", "mlp", "mf",
};

const char *eval_model_name(int model)
{
	return model >= 0 && model < MODEL_COUNT ? model_names[model] : "?";
}

long eval_parse_models(const char *list)
{
	long mask = 0;
	const char *p = list;

	if (!strcmp(list, "all"))
		return (1L << MODEL_COUNT) - 1;
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = 0;
		for (int m = 0; m < MODEL_COUNT; m++)
			if (strlen(model_names[m]) == n && !strncmp(p, model_names[m], n)) {
				mask |= 1L << m;
				found = 1;
			}
		if (!found)
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	return mask ? mask : -1;
}

void eval_wnn_paper_config(wnn_config *c)
{
	wnn_config_default(c);
}

void eval_wnn_best_config(wnn_config *c)
{
	/* chosen on seeds 7, 11 and 23, reported on the default seed (docs/results.md) */
	wnn_config_default(c);
	c->connectivity = WNN_CONN_RANDOM;
	c->random_k = 4;
	c->recurrent = 0;
	c->tie = WNN_TIE_RANDOM;
	c->reset = WNN_RESET_ZERO;
}

void eval_opts_default(eval_opts *o)
{
	static const uint32_t r[5] = {5, 10, 25, 100, 200};

	memset(o, 0, sizeof(*o));
	o->backend = "golden";
	memcpy(o->ratings, r, sizeof(r));
	o->n_ratings = 5;
	o->users = 250;
	o->seed = 1000;
	o->models = (1u << MODEL_COUNT) - 1u;
	eval_wnn_paper_config(&o->wnn);
	eval_wnn_best_config(&o->wnn_best);
}

static uint32_t draw_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(rng_next(s) % n);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A counter that rewrites itself on a terminal and prints one line per run elsewhere. */
static void progress(FILE *f, const char *what, uint32_t r, uint32_t done, uint32_t total)
{
	int tty;

	if (!f)
		return;
	tty = isatty(fileno(f));
	if (tty && (done % 25 == 0 || done == total))
		fprintf(f, "\r  %s=%u: %u/%u users", what, r, done, total);
	if (done == total)
		fprintf(f, "%s  %s=%u: %u users done\n", tty ? "\r" : "", what, r, total);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Accumulates one model's predictions, user by user. */
typedef struct scorer {
	double *user_within, *user_exact;
	uint32_t users;
	uint64_t n;
	double abs_sum, sq_sum;
	/* current user */
	uint32_t u_n, u_within, u_exact;
} scorer;

static void scorer_add(scorer *s, enc_kind enc, double pred, double target)
{
	double d = pred - target;

	s->u_n++;
	s->u_within += fabs(d) <= 1.0 + 1e-9;
	s->u_exact += fabs(quantize_rating(enc, pred) - target) < 1e-9;
	s->n++;
	s->abs_sum += fabs(d);
	s->sq_sum += d * d;
}

static void scorer_end_user(scorer *s)
{
	if (!s->u_n)
		return;
	s->user_within[s->users] = (double)s->u_within / s->u_n;
	s->user_exact[s->users] = (double)s->u_exact / s->u_n;
	s->users++;
	s->u_n = s->u_within = s->u_exact = 0;
}

static void scorer_finish(scorer *s, model_score *out)
{
	double wsum = 0, esum = 0;

	memset(out, 0, sizeof(*out));
	out->users = s->users;
	out->predictions = s->n;
	if (!s->users)
		return;
	for (uint32_t i = 0; i < s->users; i++) {
		wsum += s->user_within[i];
		esum += s->user_exact[i];
	}
	out->within1_mean = wsum / s->users;
	out->exact_mean = esum / s->users;
	qsort(s->user_within, s->users, sizeof(double), cmp_double);
	out->within1_median = s->users % 2
				      ? s->user_within[s->users / 2]
				      : (s->user_within[s->users / 2 - 1] + s->user_within[s->users / 2]) / 2;
	out->mae = s->abs_sum / (double)s->n;
	out->rmse = sqrt(s->sq_sum / (double)s->n);
}

/* Everything one run shares: ratings that take part, their users, and dense indices. */
typedef struct corpus {
	size_t *kept;          /* indices into ds->ratings of ratings that take part */
	size_t n_kept;
	size_t *user_start;    /* kept[user_start[u] .. user_start[u+1]) are user u's */
	uint32_t n_users;
	long *movie_of;        /* per kept rating: movie index */
} corpus;

static void corpus_free(corpus *c)
{
	free(c->kept);
	free(c->user_start);
	free(c->movie_of);
	memset(c, 0, sizeof(*c));
}

static int corpus_init(corpus *c, const ml_dataset *ds, const encoder *enc)
{
	memset(c, 0, sizeof(*c));
	c->kept = malloc((ds->n_ratings + 1) * sizeof(*c->kept));
	c->movie_of = malloc((ds->n_ratings + 1) * sizeof(*c->movie_of));
	c->user_start = malloc((ds->n_ratings + 2) * sizeof(*c->user_start));
	if (!c->kept || !c->movie_of || !c->user_start) {
		corpus_free(c);
		return -1;
	}
	for (size_t i = 0; i < ds->n_ratings; i++) {
		const ml_rating *r = &ds->ratings[i];
		long mi = movie_index(ds, r->movie);
		if (mi < 0 || !encoder_keeps(enc, (size_t)mi))
			continue;
		if (!c->n_kept || ds->ratings[c->kept[c->n_kept - 1]].user != r->user)
			c->user_start[c->n_users++] = c->n_kept;
		c->movie_of[c->n_kept] = mi;
		c->kept[c->n_kept++] = i;
	}
	c->user_start[c->n_users] = c->n_kept;
	return 0;
}

static size_t user_count(const corpus *c, uint32_t u)
{
	return c->user_start[u + 1] - c->user_start[u];
}

static const char *rating_csv_model(int m)
{
	return model_names[m];
}

/* Per R: the sampled users, and for each its sampled kept-rating positions (train then test). */
typedef struct sample {
	uint32_t *users;
	uint32_t n_users, eligible;
	size_t *pos;       /* n_users * r positions into corpus.kept */
	uint32_t r, n_train;
	unsigned char *held_out; /* per kept rating */
} sample;

static void sample_free(sample *s)
{
	free(s->users);
	free(s->pos);
	free(s->held_out);
	memset(s, 0, sizeof(*s));
}

static int sample_draw(sample *s, const corpus *c, uint32_t r, uint32_t max_users, uint64_t seed)
{
	uint64_t rng = seed * UINT64_C(0x9E3779B97F4A7C15) ^ r;
	size_t *tmp;

	memset(s, 0, sizeof(*s));
	s->r = r;
	s->n_train = r * 4 / 5; /* the paper's 80/20 split, train first */
	s->users = malloc((c->n_users + 1) * sizeof(*s->users));
	s->held_out = calloc(c->n_kept + 1, 1);
	if (!s->users || !s->held_out)
		return -1;
	for (uint32_t u = 0; u < c->n_users; u++)
		if (user_count(c, u) >= r)
			s->users[s->eligible++] = u;
	/* seeded Fisher-Yates, keep the first max_users */
	for (uint32_t i = s->eligible; i > 1; i--) {
		uint32_t j = draw_below(&rng, i);
		uint32_t t = s->users[i - 1];
		s->users[i - 1] = s->users[j];
		s->users[j] = t;
	}
	s->n_users = max_users && max_users < s->eligible ? max_users : s->eligible;
	s->pos = malloc(((size_t)s->n_users * r + 1) * sizeof(*s->pos));
	tmp = malloc((c->n_kept + 1) * sizeof(*tmp));
	if (!s->pos || !tmp) {
		free(tmp);
		return -1;
	}
	for (uint32_t k = 0; k < s->n_users; k++) {
		uint32_t u = s->users[k];
		size_t n = user_count(c, u);
		for (size_t i = 0; i < n; i++)
			tmp[i] = c->user_start[u] + i;
		for (uint32_t i = 0; i < r; i++) { /* partial Fisher-Yates: r of n */
			size_t j = i + draw_below(&rng, (uint32_t)(n - i));
			size_t t = tmp[i];
			tmp[i] = tmp[j];
			tmp[j] = t;
			s->pos[(size_t)k * r + i] = tmp[i];
			if (i >= s->n_train)
				s->held_out[tmp[i]] = 1;
		}
	}
	free(tmp);
	return 0;
}

/* Statistics of every kept rating that is not held out: no test rating leaks into features. */
static void training_stats(item_stats *st, const ml_dataset *ds, const corpus *c,
			   const unsigned char *held_out, double *global_mean)
{
	double sum = 0;
	size_t n = 0;

	memset(st->count, 0, st->n * sizeof(*st->count));
	memset(st->sum, 0, st->n * sizeof(*st->sum));
	for (size_t i = 0; i < c->n_kept; i++) {
		float r;
		if (held_out && held_out[i])
			continue;
		r = ds->ratings[c->kept[i]].rating;
		st->count[c->movie_of[i]]++;
		st->sum[c->movie_of[i]] += r;
		sum += r;
		n++;
	}
	*global_mean = n ? sum / (double)n : 3.0;
}

static double best_constant(enc_kind enc, const double *targets, size_t n)
{
	double best = 0, best_acc = -1, best_mae = 0;

	for (int k = 0; k <= 10; k++) {
		double c = enc == ENC_PAPER ? (double)(k / 2) : k * 0.5;
		double acc = 0, mae = 0;
		if ((enc == ENC_PAPER && k % 2) || (enc == ENC_CORRECTED && k == 0))
			continue;
		for (size_t i = 0; i < n; i++) {
			acc += fabs(c - targets[i]) <= 1.0 + 1e-9;
			mae += fabs(c - targets[i]);
		}
		if (acc > best_acc || (acc == best_acc && mae < best_mae)) {
			best = c;
			best_acc = acc;
			best_mae = mae;
		}
	}
	return best;
}

typedef struct run_state {
	const ml_dataset *ds;
	const encoder *enc;
	const eval_opts *o;
	corpus c;
	item_stats st;
	wnn_ctx *ctx;
	scorer sc[MODEL_COUNT];
	double seconds[MODEL_COUNT];
	char *err;
	size_t errlen;
} run_state;

static int scorers_init(scorer *sc, uint32_t users)
{
	memset(sc, 0, MODEL_COUNT * sizeof(*sc));
	for (int m = 0; m < MODEL_COUNT; m++) {
		sc[m].user_within = malloc((users + 1) * sizeof(double));
		sc[m].user_exact = malloc((users + 1) * sizeof(double));
		if (!sc[m].user_within || !sc[m].user_exact)
			return -1;
	}
	return 0;
}

static void scorers_free(scorer *sc)
{
	for (int m = 0; m < MODEL_COUNT; m++) {
		free(sc[m].user_within);
		free(sc[m].user_exact);
	}
}

static int wnn_fail_msg(run_state *rs, const char *what, int err)
{
	snprintf(rs->err, rs->errlen, "%s: %s%s%s", what, wnn_strerror(err),
		 wnn_ctx_errmsg(rs->ctx)[0] ? ": " : "", wnn_ctx_errmsg(rs->ctx));
	return -1;
}

/* Trains one agent on xs[0..n_train) and predicts the rest into pred. */
static int run_wnn_user(run_state *rs, const wnn_config *cfg, const uint64_t *xs,
			const uint64_t *ys, uint32_t n_train, uint32_t n_test, double *pred)
{
	wnn_agent *a;
	int r = wnn_agent_create(rs->ctx, cfg, &a);

	if (r)
		return wnn_fail_msg(rs, "creating an agent", r);
	for (uint32_t i = 0; i < n_train && !r; i++)
		r = wnn_train(a, xs[i], ys[i]);
	for (uint32_t i = 0; i < n_test && !r; i++) {
		uint64_t z;
		r = wnn_predict(a, xs[n_train + i], &z);
		pred[i] = decode_rating(rs->enc->enc, z);
	}
	wnn_agent_free(a);
	return r ? wnn_fail_msg(rs, "agent", r) : 0;
}

static int eval_one_r(run_state *rs, uint32_t r, eval_row *row)
{
	const ml_dataset *ds = rs->ds;
	const eval_opts *o = rs->o;
	enc_kind ek = rs->enc->enc;
	sample s;
	double global_mean, constant, t0;
	double *targets = NULL, *pred = NULL;
	uint64_t *xs = NULL, *ys = NULL;
	float *fx = NULL, *fy = NULL, *fp = NULL;
	mf_model *mf = NULL;
	size_t n_targets = 0;
	int ret = -1;

	memset(row, 0, sizeof(*row));
	row->r = r;
	if (sample_draw(&s, &rs->c, r, o->users, o->seed) ||
	    scorers_init(rs->sc, s.n_users)) {
		snprintf(rs->err, rs->errlen, "out of memory");
		goto out;
	}
	row->eligible = s.eligible;
	row->users = s.n_users;
	training_stats(&rs->st, ds, &rs->c, s.held_out, &global_mean);

	targets = malloc(((size_t)s.n_users * r + 1) * sizeof(*targets));
	pred = malloc((r + 1) * sizeof(*pred));
	xs = malloc((r + 1) * sizeof(*xs));
	ys = malloc((r + 1) * sizeof(*ys));
	fx = malloc(((size_t)r * ENC_IN_BITS + 1) * sizeof(*fx));
	fy = malloc((r + 1) * sizeof(*fy));
	fp = malloc((r + 1) * sizeof(*fp));
	if (!targets || !pred || !xs || !ys || !fx || !fy || !fp) {
		snprintf(rs->err, rs->errlen, "out of memory");
		goto out;
	}
	for (uint32_t k = 0; k < s.n_users; k++)
		for (uint32_t i = 0; i < s.n_train; i++)
			targets[n_targets++] =
				target_rating(ek, ds->ratings[rs->c.kept[s.pos[(size_t)k * r + i]]].rating);
	constant = best_constant(ek, targets, n_targets);

	if (o->models & (1u << MODEL_MF)) {
		/* collaborative filtering sees every kept rating except the held-out ones */
		mf_triple *tr = malloc((rs->c.n_kept + 1) * sizeof(*tr));
		mf_params mp;
		size_t n = 0;
		if (!tr) {
			snprintf(rs->err, rs->errlen, "out of memory");
			goto out;
		}
		t0 = now_seconds();
		for (uint32_t u = 0; u < rs->c.n_users; u++)
			for (size_t i = rs->c.user_start[u]; i < rs->c.user_start[u + 1]; i++)
				if (!s.held_out[i])
					tr[n++] = (mf_triple){u, (uint32_t)rs->c.movie_of[i],
							      (float)target_rating(ek, ds->ratings[rs->c.kept[i]].rating)};
		mf_params_default(&mp);
		mp.seed = o->seed;
		mf = mf_train(tr, n, rs->c.n_users, (uint32_t)ds->n_movies, &mp);
		free(tr);
		rs->seconds[MODEL_MF] += now_seconds() - t0;
		if (!mf) {
			snprintf(rs->err, rs->errlen, "matrix factorisation failed");
			goto out;
		}
	}

	for (uint32_t k = 0; k < s.n_users; k++) {
		const size_t *pos = s.pos + (size_t)k * r;
		uint32_t u = s.users[k], n_test = r - s.n_train;
		double user_sum = 0;

		for (uint32_t i = 0; i < r; i++) {
			size_t mi = (size_t)rs->c.movie_of[pos[i]];
			float stars = ds->ratings[rs->c.kept[pos[i]]].rating;
			xs[i] = encode_item(rs->enc, mi, &rs->st);
			ys[i] = encode_rating(ek, stars);
			fy[i] = (float)target_rating(ek, stars);
			for (uint32_t b = 0; b < ENC_IN_BITS; b++)
				fx[(size_t)i * ENC_IN_BITS + b] = (float)((xs[i] >> b) & 1u);
			if (i < s.n_train)
				user_sum += fy[i];
			else if (!rs->enc->meta_of[mi])
				row->fallback_items++;
		}
		row->test_items += n_test;

		for (int m = 0; m < MODEL_COUNT; m++) {
			if (!(o->models & (1u << m)))
				continue;
			t0 = now_seconds();
			switch (m) {
			case MODEL_WNN:
			case MODEL_WNN_BEST:
				if (run_wnn_user(rs, m == MODEL_WNN ? &o->wnn : &o->wnn_best, xs, ys,
						 s.n_train, n_test, pred))
					goto out;
				break;
			case MODEL_CONSTANT:
				for (uint32_t i = 0; i < n_test; i++)
					pred[i] = constant;
				break;
			case MODEL_USER_MEAN:
				for (uint32_t i = 0; i < n_test; i++)
					pred[i] = s.n_train ? user_sum / s.n_train : global_mean;
				break;
			case MODEL_ITEM_MEAN:
				for (uint32_t i = 0; i < n_test; i++) {
					size_t mi = (size_t)rs->c.movie_of[pos[s.n_train + i]];
					pred[i] = rs->st.count[mi] ? rs->st.sum[mi] / rs->st.count[mi]
								  : global_mean;
				}
				break;
			case MODEL_MLP: {
				mlp_params mp;
				mlp_params_default(&mp);
				mp.seed = o->seed ^ u;
				if (mlp_fit_predict(fx, fy, s.n_train, ENC_IN_BITS,
						    fx + (size_t)s.n_train * ENC_IN_BITS, n_test, fp, &mp)) {
					snprintf(rs->err, rs->errlen, "MLP failed");
					goto out;
				}
				for (uint32_t i = 0; i < n_test; i++)
					pred[i] = fp[i];
				break;
			}
			case MODEL_MF:
				for (uint32_t i = 0; i < n_test; i++)
					pred[i] = mf_predict(mf, u, (uint32_t)rs->c.movie_of[pos[s.n_train + i]]);
				break;
			default:
				break;
			}
			rs->seconds[m] += now_seconds() - t0;
			for (uint32_t i = 0; i < n_test; i++) {
				scorer_add(&rs->sc[m], ek, pred[i], fy[s.n_train + i]);
				if (o->predictions) {
					const ml_rating *rt = &ds->ratings[rs->c.kept[pos[s.n_train + i]]];
					fprintf(o->predictions, "%u,%u,%u,%.1f,%s,%.4f\n", r, rt->user,
						rt->movie, rt->rating, rating_csv_model(m), pred[i]);
				}
			}
			scorer_end_user(&rs->sc[m]);
		}
		progress(o->progress, "R", r, k + 1, s.n_users);
	}
	for (int m = 0; m < MODEL_COUNT; m++)
		scorer_finish(&rs->sc[m], &row->score[m]);
	ret = 0;
out:
	mf_free(mf);
	free(targets);
	free(pred);
	free(xs);
	free(ys);
	free(fx);
	free(fy);
	free(fp);
	scorers_free(rs->sc);
	sample_free(&s);
	return ret;
}

static int run_begin(run_state *rs, const ml_dataset *ds, const encoder *enc, const eval_opts *o,
		     char *err, size_t errlen)
{
	char ebuf[256];
	int r;

	memset(rs, 0, sizeof(*rs));
	rs->ds = ds;
	rs->enc = enc;
	rs->o = o;
	rs->err = err;
	rs->errlen = errlen;
	if (corpus_init(&rs->c, ds, enc) || item_stats_init(&rs->st, ds->n_movies)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (o->models & ((1u << MODEL_WNN) | (1u << MODEL_WNN_BEST))) {
		r = wnn_ctx_open(&rs->ctx, o->backend, ebuf, sizeof(ebuf));
		if (r) {
			snprintf(err, errlen, "backend: %s", ebuf);
			return -1;
		}
	}
	return 0;
}

static void run_end(run_state *rs, eval_result *res)
{
	if (res)
		memcpy(res->seconds, rs->seconds, sizeof(res->seconds));
	wnn_ctx_close(rs->ctx);
	item_stats_free(&rs->st);
	corpus_free(&rs->c);
}

int eval_run(const ml_dataset *ds, const encoder *enc, const eval_opts *o, eval_result *res,
	     char *err, size_t errlen)
{
	run_state rs;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	if (run_begin(&rs, ds, enc, o, err, errlen)) {
		run_end(&rs, NULL);
		return -1;
	}
	for (uint32_t i = 0; i < o->n_ratings && !ret; i++) {
		if (o->ratings[i] < 2) {
			snprintf(err, errlen, "--ratings: %u is too few to split 80/20", o->ratings[i]);
			ret = -1;
			break;
		}
		ret = eval_one_r(&rs, o->ratings[i], &res->row[res->n_rows]);
		if (!ret)
			res->n_rows++;
	}
	run_end(&rs, res);
	return ret;
}

/* Streaming buckets: ratings the user had given before the prediction. */
static const uint32_t bucket_lo[EVAL_MAX_BUCKETS] = {0, 1, 5, 10, 25, 50, 100, 200};

int eval_stream(const ml_dataset *ds, const encoder *enc, const eval_opts *o, eval_result *res,
		char *err, size_t errlen)
{
	static const int models[] = {MODEL_WNN, MODEL_WNN_BEST, MODEL_USER_MEAN, MODEL_ITEM_MEAN};
	scorer sc[EVAL_MAX_BUCKETS][MODEL_COUNT];
	const uint32_t min_r = 5;
	unsigned char *in_stream = NULL;
	enc_kind ek = enc->enc;
	run_state rs;
	sample s;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	memset(sc, 0, sizeof(sc));
	memset(&s, 0, sizeof(s));
	if (run_begin(&rs, ds, enc, o, err, errlen))
		goto out;
	/* users with at least min_r ratings, sampled as in the protocol */
	if (sample_draw(&s, &rs.c, min_r, o->users, o->seed))
		goto oom;
	for (int b = 0; b < EVAL_MAX_BUCKETS; b++)
		if (scorers_init(sc[b], s.n_users))
			goto oom;
	/* item features come from every rating of users not streamed */
	in_stream = calloc(rs.c.n_kept + 1, 1);
	if (!in_stream)
		goto oom;
	for (uint32_t k = 0; k < s.n_users; k++) {
		uint32_t u = s.users[k];
		memset(in_stream + rs.c.user_start[u], 1, user_count(&rs.c, u));
	}
	{
		double global_mean;
		training_stats(&rs.st, ds, &rs.c, in_stream, &global_mean);
		for (uint32_t k = 0; k < s.n_users; k++) {
			uint32_t u = s.users[k];
			size_t first = rs.c.user_start[u], n = user_count(&rs.c, u);
			wnn_agent *agent[2] = {NULL, NULL};
			double user_sum = 0;
			for (int w = 0; w < 2; w++) {
				wnn_config cfg = w ? o->wnn_best : o->wnn;
				int r;
				if (!(o->models & (1u << models[w])))
					continue;
				cfg.overflow = WNN_OVERFLOW_EVICT; /* a stream outlives any capacity */
				r = wnn_agent_create(rs.ctx, &cfg, &agent[w]);
				if (r) {
					wnn_fail_msg(&rs, "creating an agent", r);
					wnn_agent_free(agent[0]);
					goto out;
				}
			}
			for (size_t i = 0; i < n; i++) {
				size_t mi = (size_t)rs.c.movie_of[first + i];
				float stars = ds->ratings[rs.c.kept[first + i]].rating;
				uint64_t x = encode_item(enc, mi, &rs.st), y = encode_rating(ek, stars);
				double target = target_rating(ek, stars);
				int b = EVAL_MAX_BUCKETS - 1;
				while (b > 0 && i < bucket_lo[b])
					b--;
				for (size_t mm = 0; mm < sizeof(models) / sizeof(models[0]); mm++) {
					int m = models[mm];
					double pred;
					if (!(o->models & (1u << m)))
						continue;
					if (m == MODEL_WNN || m == MODEL_WNN_BEST) {
						wnn_agent *a = agent[m == MODEL_WNN_BEST];
						uint64_t z;
						int r = wnn_predict(a, x, &z);
						if (!r)
							r = wnn_train(a, x, y);
						if (r) {
							wnn_fail_msg(&rs, "agent", r);
							wnn_agent_free(agent[0]);
							wnn_agent_free(agent[1]);
							goto out;
						}
						pred = decode_rating(ek, z);
					} else if (m == MODEL_USER_MEAN) {
						pred = i ? user_sum / (double)i : global_mean;
					} else {
						pred = rs.st.count[mi] ? rs.st.sum[mi] / rs.st.count[mi]
								       : global_mean;
					}
					scorer_add(&sc[b][m], ek, pred, target);
				}
				user_sum += target;
			}
			wnn_agent_free(agent[0]);
			wnn_agent_free(agent[1]);
			for (int b = 0; b < EVAL_MAX_BUCKETS; b++)
				for (int m = 0; m < MODEL_COUNT; m++)
					scorer_end_user(&sc[b][m]);
			progress(o->progress, "stream from", min_r, k + 1, s.n_users);
		}
	}
	for (int b = 0; b < EVAL_MAX_BUCKETS; b++) {
		eval_row *row = &res->row[res->n_rows++];
		row->r = bucket_lo[b];
		row->r_hi = b + 1 < EVAL_MAX_BUCKETS ? bucket_lo[b + 1] : 0;
		row->users = s.n_users;
		row->eligible = s.eligible;
		for (int m = 0; m < MODEL_COUNT; m++)
			scorer_finish(&sc[b][m], &row->score[m]);
	}
	ret = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	for (int b = 0; b < EVAL_MAX_BUCKETS; b++)
		scorers_free(sc[b]);
	free(in_stream);
	sample_free(&s);
	run_end(&rs, res);
	return ret;
}
