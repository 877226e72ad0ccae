/* SPDX-License-Identifier: MIT */
/* cmd_agent.c - `wnnrec agent`: one agent driven line by line from stdin, the continuous-learning
 * loop a user can try: rate, predict, explain, forget, save, load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char agent_help[] =
	"usage: wnnrec agent [options] < commands\n"
	"Reads one command per line from stdin (a prompt is shown on a terminal):\n"
	"  rate MOVIE STARS     learn a rating (MovieLens movie id, 0.5..5)\n"
	"  predict MOVIE        predicted stars\n"
	"  explain MOVIE        the prediction, bit by bit, and the stored ratings behind it\n"
	"  forget MOVIE         forget every stored rating of a movie with these features\n"
	"  forget-entry RANK    forget one stored entry (0 = oldest)\n"
	"  list                 stored entries, oldest first\n"
	"  stats | clear | save FILE | load FILE | help | quit\n"
	"Lines starting with # are comments. A failing command prints 'error: ...' and the session\n"
	"goes on; the exit status is 1 if any command failed.\n";

typedef struct session {
	cli_common *c;
	cli_data *d;
	item_stats st;
	wnn_ctx *ctx;
	wnn_agent *agent;
	uint32_t *movie_of_rank; /* movie id behind each stored entry, 0 if unknown (loaded) */
	uint32_t n_ranks, cap_ranks;
} session;

static const ml_movie *lookup(session *s, const char *arg, long *mi)
{
	char *end;
	unsigned long id = strtoul(arg ? arg : "", &end, 10);

	*mi = -1;
	if (!arg || end == arg || *end) {
		printf("error: '%s' is not a movie id\n", arg ? arg : "");
		return NULL;
	}
	*mi = movie_index(&s->d->ds, (uint32_t)id);
	if (*mi < 0 || !encoder_keeps(&s->d->enc, (size_t)*mi)) {
		printf("error: movie %lu is not in the data set%s\n", id,
		       *mi >= 0 ? " under this join" : "");
		*mi = -1;
		return NULL;
	}
	return &s->d->ds.movies[*mi];
}

static int fail(session *s, int err)
{
	printf("error: %s%s%s\n", wnn_strerror(err), wnn_ctx_errmsg(s->ctx)[0] ? ": " : "",
	       wnn_ctx_errmsg(s->ctx));
	return -1;
}

static const char *title_of(session *s, uint32_t rank)
{
	const ml_movie *m;

	if (rank >= s->n_ranks || !s->movie_of_rank[rank])
		return "(unknown movie)";
	m = ml_find_movie(&s->d->ds, s->movie_of_rank[rank]);
	return m ? m->title : "(unknown movie)";
}

/* Keeps movie_of_rank in step with the agent's entries (§2: ranks shift on removal). */
static void ranks_remove(session *s, uint32_t rank)
{
	memmove(&s->movie_of_rank[rank], &s->movie_of_rank[rank + 1],
		(s->n_ranks - rank - 1) * sizeof(*s->movie_of_rank));
	s->n_ranks--;
}

static int do_rate(session *s, const char *movie, const char *stars_s)
{
	long mi;
	char *end;
	double stars = stars_s ? strtod(stars_s, &end) : 0;
	const ml_movie *m = lookup(s, movie, &mi);
	wnn_stats before, after;
	int r;

	if (!m)
		return -1;
	if (!stars_s || end == stars_s || *end || stars < 0.5 || stars > 5.0) {
		printf("error: stars must be a number in 0.5..5\n");
		return -1;
	}
	wnn_get_stats(s->agent, &before);
	r = wnn_train(s->agent, encode_item(&s->d->enc, (size_t)mi, &s->st),
		      encode_rating(s->c->enc, (float)stars));
	if (r)
		return fail(s, r);
	wnn_get_stats(s->agent, &after);
	if (after.evictions > before.evictions) {
		printf("evicted the oldest entry: %s\n", title_of(s, 0));
		ranks_remove(s, 0);
	}
	if (s->n_ranks == s->cap_ranks) {
		uint32_t cap = s->cap_ranks ? 2 * s->cap_ranks : 64;
		uint32_t *grown = realloc(s->movie_of_rank, cap * sizeof(*grown));
		if (!grown) {
			printf("error: out of memory\n");
			return -1;
		}
		s->movie_of_rank = grown;
		s->cap_ranks = cap;
	}
	s->movie_of_rank[s->n_ranks++] = m->id;
	printf("learned %s = %.1f stars (%u of %u entries used)\n", m->title, stars, after.entries,
	       after.capacity);
	return 0;
}

static int do_predict(session *s, const char *movie, int explain)
{
	long mi;
	const ml_movie *m = lookup(s, movie, &mi);
	uint64_t x, z;
	wnn_explanation ex;
	int r;

	if (!m)
		return -1;
	x = encode_item(&s->d->enc, (size_t)mi, &s->st);
	if (!explain) {
		r = wnn_predict(s->agent, x, &z);
		if (r)
			return fail(s, r);
		printf("%s: %.1f stars (Z = 0x%03llx)\n", m->title, decode_rating(s->c->enc, z),
		       (unsigned long long)z);
		return 0;
	}
	r = wnn_explain(s->agent, x, &ex);
	if (r)
		return fail(s, r);
	printf("%s: %.1f stars (Z = 0x%03llx, input 0x%07llx)\n", m->title,
	       decode_rating(s->c->enc, ex.z), (unsigned long long)ex.z, (unsigned long long)x);
	for (uint32_t b = 0; b < ex.out_bits; b++) {
		const wnn_bit_reason *br = &ex.bit[b];
		if (br->distance == WNN_NO_MATCH)
			printf("  Z%-2u = %u  no stored entry matched: tie rule\n", b, br->value);
		else
			printf("  Z%-2u = %u  distance %u, votes 1:%u 0:%u%s\n", b, br->value,
			       br->distance, br->votes_one, br->votes_zero, br->tie ? " (tie rule)" : "");
	}
	for (uint32_t e = 0; e < ex.n_entries; e++)
		printf("  entry %u: %s, %.1f stars, nearest for Z bits 0x%03llx\n", ex.rank[e],
		       title_of(s, ex.rank[e]), decode_rating(s->c->enc, ex.y[e]),
		       (unsigned long long)ex.bits[e]);
	wnn_explanation_free(&ex);
	return 0;
}

static int do_forget(session *s, const char *movie)
{
	long mi;
	const ml_movie *m = lookup(s, movie, &mi);
	uint64_t x;
	int removed;

	if (!m)
		return -1;
	x = encode_item(&s->d->enc, (size_t)mi, &s->st);
	/* find the ranks first: forget_input removes every entry with these features */
	for (uint32_t rank = s->n_ranks; rank-- > 0;) {
		uint64_t ex, ey;
		if (!wnn_read_entry(s->agent, rank, &ex, &ey) && ex == x)
			ranks_remove(s, rank);
	}
	removed = wnn_forget_input(s->agent, x);
	if (removed < 0)
		return fail(s, removed);
	printf("forgot %d entr%s with the features of %s\n", removed, removed == 1 ? "y" : "ies",
	       m->title);
	return 0;
}

static int do_forget_entry(session *s, const char *arg)
{
	char *end;
	unsigned long rank = strtoul(arg ? arg : "", &end, 10);
	int r;

	if (!arg || end == arg || *end) {
		printf("error: '%s' is not a rank\n", arg ? arg : "");
		return -1;
	}
	r = wnn_forget_entry(s->agent, (uint32_t)rank);
	if (r)
		return fail(s, r);
	printf("forgot entry %lu (%s)\n", rank, title_of(s, (uint32_t)rank));
	if (rank < s->n_ranks)
		ranks_remove(s, (uint32_t)rank);
	return 0;
}

static int do_list(session *s)
{
	wnn_stats st;
	int r = wnn_get_stats(s->agent, &st);

	if (r)
		return fail(s, r);
	for (uint32_t rank = 0; rank < st.entries; rank++) {
		uint64_t x, y;
		r = wnn_read_entry(s->agent, rank, &x, &y);
		if (r)
			return fail(s, r);
		printf("%4u  x=0x%07llx  %.1f stars  %s\n", rank, (unsigned long long)x,
		       decode_rating(s->c->enc, y), title_of(s, rank));
	}
	printf("%u of %u entries\n", st.entries, st.capacity);
	return 0;
}

static int do_load(session *s, const char *path)
{
	wnn_agent *loaded;
	wnn_stats st;
	int r;

	if (!path) {
		printf("error: load needs a file name\n");
		return -1;
	}
	r = wnn_agent_load(s->ctx, path, &loaded);
	if (r)
		return fail(s, r); /* the current agent is untouched */
	wnn_agent_free(s->agent);
	s->agent = loaded;
	wnn_get_stats(loaded, &st);
	free(s->movie_of_rank);
	s->movie_of_rank = calloc(st.entries + 1, sizeof(*s->movie_of_rank));
	s->n_ranks = s->cap_ranks = s->movie_of_rank ? st.entries : 0;
	printf("loaded %s: %u entries (movie names are not stored in the file)\n", path, st.entries);
	return 0;
}

static int run_line(session *s, char *line)
{
	char *cmd = strtok(line, " \t\r\n");
	char *a1 = strtok(NULL, " \t\r\n");
	char *a2 = strtok(NULL, " \t\r\n");
	wnn_stats st;
	int r;

	if (!cmd || cmd[0] == '#')
		return 0;
	if (!strcmp(cmd, "rate"))
		return do_rate(s, a1, a2);
	if (!strcmp(cmd, "predict"))
		return do_predict(s, a1, 0);
	if (!strcmp(cmd, "explain"))
		return do_predict(s, a1, 1);
	if (!strcmp(cmd, "forget"))
		return do_forget(s, a1);
	if (!strcmp(cmd, "forget-entry"))
		return do_forget_entry(s, a1);
	if (!strcmp(cmd, "list"))
		return do_list(s);
	if (!strcmp(cmd, "load"))
		return do_load(s, a1);
	if (!strcmp(cmd, "save")) {
		if (!a1) {
			printf("error: save needs a file name\n");
			return -1;
		}
		r = wnn_agent_save(s->agent, a1);
		if (r)
			return fail(s, r);
		printf("saved to %s\n", a1);
		return 0;
	}
	if (!strcmp(cmd, "clear")) {
		r = wnn_clear(s->agent);
		if (r)
			return fail(s, r);
		s->n_ranks = 0;
		printf("cleared\n");
		return 0;
	}
	if (!strcmp(cmd, "stats")) {
		r = wnn_get_stats(s->agent, &st);
		if (r)
			return fail(s, r);
		printf("entries %u of %u, trains %llu, predictions %llu, evictions %llu\n", st.entries,
		       st.capacity, (unsigned long long)st.trains, (unsigned long long)st.predictions,
		       (unsigned long long)st.evictions);
		return 0;
	}
	if (!strcmp(cmd, "help")) {
		fputs(agent_help, stdout);
		return 0;
	}
	printf("error: unknown command '%s' (try help)\n", cmd);
	return -1;
}

int cmd_agent(int argc, char **argv)
{
	cli_common c;
	cli_data d;
	session s;
	char line[4096], err[256];
	int failures = 0, tty = isatty(STDIN_FILENO);

	cli_common_init(&c);
	c.agent = "best";
	for (int i = 1; i < argc; i++) {
		int r = cli_common_option(&c, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("%s%s", agent_help, cli_common_help);
			return 0;
		}
		fprintf(stderr, "wnnrec agent: unknown option '%s' (see --help)\n", argv[i]);
		return 2;
	}
	if (cli_agent_config(&c) || cli_data_load(&c, &d, 1))
		return 2;
	memset(&s, 0, sizeof(s));
	s.c = &c;
	s.d = &d;
	if (item_stats_init(&s.st, d.ds.n_movies)) {
		fprintf(stderr, "wnnrec: out of memory\n");
		cli_data_free(&d);
		return 1;
	}
	/* features of movies without metadata use the whole data set's statistics */
	for (size_t i = 0; i < d.ds.n_ratings; i++) {
		long mi = movie_index(&d.ds, d.ds.ratings[i].movie);
		if (mi >= 0) {
			s.st.count[mi]++;
			s.st.sum[mi] += d.ds.ratings[i].rating;
		}
	}
	if (wnn_ctx_open(&s.ctx, c.backend, err, sizeof(err)) ||
	    wnn_agent_create(s.ctx, &c.cfg, &s.agent)) {
		fprintf(stderr, "wnnrec: %s\n", s.ctx ? wnn_ctx_errmsg(s.ctx) : err);
		wnn_ctx_close(s.ctx);
		item_stats_free(&s.st);
		cli_data_free(&d);
		return 1;
	}
	if (tty)
		printf("wnnrec agent (%s backend, capacity %u); type help\n", c.backend, c.cfg.capacity);
	for (;;) {
		if (tty) {
			printf("> ");
			fflush(stdout);
		}
		if (!fgets(line, sizeof(line), stdin))
			break;
		if (!strchr(line, '\n') && !feof(stdin)) {
			int ch;
			while ((ch = getchar()) != '\n' && ch != EOF)
				;
			printf("error: line longer than %zu characters\n", sizeof(line) - 1);
			failures++;
			continue;
		}
		if (!strncmp(line, "quit", 4) || !strncmp(line, "exit", 4))
			break;
		failures += run_line(&s, line) != 0;
		fflush(stdout);
	}
	wnn_ctx_close(s.ctx);
	free(s.movie_of_rank);
	item_stats_free(&s.st);
	cli_data_free(&d);
	return failures ? 1 : 0;
}
