/* SPDX-License-Identifier: MIT */
/* movielens.c - MovieLens loaders (ml-latest CSV, ml-100k, ml-1m) and the shared genre vocabulary.
 *
 * Strict: any malformed line fails the load with "path:line: reason". Blank lines are skipped.
 * Ratings may name movies the movies file lacks (the real files never do, but it is not an error).
 */
#include "dataset.h"
#include "dataset_csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- genres ---------------------------------------------------------------------------------- */

static const char *const genre_names[GENRE_COUNT] = {
	[GENRE_ACTION] = "Action",       [GENRE_ADVENTURE] = "Adventure",
	[GENRE_ANIMATION] = "Animation", [GENRE_CHILDREN] = "Children",
	[GENRE_COMEDY] = "Comedy",       [GENRE_CRIME] = "Crime",
	[GENRE_DOCUMENTARY] = "Documentary", [GENRE_DRAMA] = "Drama",
	[GENRE_FANTASY] = "Fantasy",     [GENRE_FILM_NOIR] = "Film-Noir",
	[GENRE_HORROR] = "Horror",       [GENRE_IMAX] = "IMAX",
	[GENRE_MUSICAL] = "Musical",     [GENRE_MYSTERY] = "Mystery",
	[GENRE_ROMANCE] = "Romance",     [GENRE_SCI_FI] = "Sci-Fi",
	[GENRE_THRILLER] = "Thriller",   [GENRE_WAR] = "War",
	[GENRE_WESTERN] = "Western",     [GENRE_HISTORY] = "History",
	[GENRE_TV_MOVIE] = "TV Movie",   [GENRE_FOREIGN] = "Foreign",
};

/* Other published spellings: ml-100k/ml-1m "Children's"; TMDB "Family", "Science Fiction",
 * "Music". */
static const struct {
	const char *name;
	int id;
} genre_aliases[] = {
	{"Children's", GENRE_CHILDREN},
	{"Family", GENRE_CHILDREN},
	{"Science Fiction", GENRE_SCI_FI},
	{"Music", GENRE_MUSICAL},
};

int genre_from_name(const char *name, size_t len)
{
	if (!name || len == 0)
		return -1;
	for (int g = 0; g < GENRE_COUNT; g++)
		if (strlen(genre_names[g]) == len && memcmp(genre_names[g], name, len) == 0)
			return g;
	for (size_t i = 0; i < sizeof(genre_aliases) / sizeof(genre_aliases[0]); i++)
		if (strlen(genre_aliases[i].name) == len && memcmp(genre_aliases[i].name, name, len) == 0)
			return genre_aliases[i].id;
	return -1;
}

const char *genre_name(int id)
{
	if (id < 0 || id >= GENRE_COUNT)
		return NULL;
	return genre_names[id];
}

const char *ml_format_name(ml_format f)
{
	switch (f) {
	case ML_FORMAT_LATEST_CSV:
		return "ml-latest-csv";
	case ML_FORMAT_100K:
		return "ml-100k";
	case ML_FORMAT_1M:
		return "ml-1m";
	}
	return "unknown";
}

/* ---- helpers --------------------------------------------------------------------------------- */

typedef struct ml_err {
	char *buf;
	size_t len;
} ml_err;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(ml_err *e, const char *fmt, ...)
{
	if (e->buf && e->len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->buf, e->len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Copies a field for an error message, cut to a readable length. */
static const char *shown(char *buf, size_t cap, const csv_field *f)
{
	size_t n = f->len;
	if (n + 1 > cap) {
		n = cap - 4;
		memcpy(buf, f->p, n);
		memcpy(buf + n, "...", 4);
	} else {
		memcpy(buf, f->p, n);
		buf[n] = '\0';
	}
	return buf;
}

static int join_path(char *out, size_t cap, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	int n = snprintf(out, cap, "%s%s%s", dir, (dl && dir[dl - 1] == '/') ? "" : "/", name);
	return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

static int file_exists(const char *dir, const char *name)
{
	char p[4096];
	if (join_path(p, sizeof(p), dir, name) < 0)
		return 0;
	return access(p, F_OK) == 0;
}

/* Reads the next non-blank, well-formed record. Returns 1, 0 at EOF, -1 on error (message set). */
static int next_record(csv_reader *r, ml_err *e)
{
	for (;;) {
		int rc = csv_next(r, e->buf, e->len);
		if (rc <= 0)
			return rc;
		if (r->flags & CSV_F_TOO_LONG)
			return fail(e, "%s:%zu: record longer than %zu bytes", r->path, r->line,
				    r->max_record);
		if (r->flags)
			return fail(e, "%s:%zu: %s", r->path, r->line, csv_flag_reason(r->flags));
		if (csv_blank(r))
			continue;
		return 1;
	}
}

static int check_nfields(csv_reader *r, size_t want, ml_err *e)
{
	if (r->n_fields == want)
		return 0;
	return fail(e, "%s:%zu: expected %zu fields, got %zu (%s)", r->path, r->line, want,
		    r->n_fields, r->n_fields < want ? "missing fields" : "extra fields");
}

static int parse_id(csv_reader *r, size_t col, const char *what, uint32_t *out, ml_err *e)
{
	char b[48];
	if (csv_parse_u32(r->fields[col].p, r->fields[col].len, out) == 0)
		return 0;
	return fail(e, "%s:%zu: %s '%s' is not a valid id", r->path, r->line, what,
		    shown(b, sizeof(b), &r->fields[col]));
}

/* ---- ratings --------------------------------------------------------------------------------- */

typedef struct rating_vec {
	ml_rating *a;
	size_t n, cap;
} rating_vec;

typedef struct cols4 {
	size_t user, movie, rating, ts, n;
	const char *user_name, *movie_name;
} cols4;

static int parse_rating_row(csv_reader *r, const cols4 *c, rating_vec *v, ml_err *e)
{
	char b[48];
	ml_rating x;
	if (check_nfields(r, c->n, e) < 0)
		return -1;
	if (parse_id(r, c->user, c->user_name, &x.user, e) < 0 ||
	    parse_id(r, c->movie, c->movie_name, &x.movie, e) < 0)
		return -1;
	const csv_field *rf = &r->fields[c->rating];
	double stars;
	if (csv_parse_double(rf->p, rf->len, &stars) < 0)
		return fail(e, "%s:%zu: rating '%s' is not a number", r->path, r->line,
			    shown(b, sizeof(b), rf));
	double twice = stars * 2.0;
	if (!(stars >= 0.5 && stars <= 5.0) || twice != (double)(long)twice)
		return fail(e, "%s:%zu: rating %s is not in 0.5..5 in half-star steps", r->path,
			    r->line, shown(b, sizeof(b), rf));
	x.rating = (float)stars;
	int64_t ts;
	const csv_field *tf = &r->fields[c->ts];
	if (csv_parse_i64(tf->p, tf->len, &ts) < 0)
		return fail(e, "%s:%zu: timestamp '%s' is not an integer", r->path, r->line,
			    shown(b, sizeof(b), tf));
	x.timestamp = ts;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4096;
		ml_rating *p = realloc(v->a, cap * sizeof(*p));
		if (!p)
			return fail(e, "%s:%zu: out of memory", r->path, r->line);
		v->a = p;
		v->cap = cap;
	}
	v->a[v->n++] = x;
	return 0;
}

static int find_col(const csv_reader *r, const char *name, size_t *out)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < r->n_fields; i++) {
		if (r->fields[i].len == nl && memcmp(r->fields[i].p, name, nl) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

/* Reads the header of an ml-latest CSV file and finds the named columns. */
static int read_header(csv_reader *r, const char *const *names, size_t *cols, size_t n, ml_err *e)
{
	char want[160] = "";
	for (size_t i = 0; i < n; i++) {
		strncat(want, names[i], sizeof(want) - strlen(want) - 1);
		if (i + 1 < n)
			strncat(want, ",", sizeof(want) - strlen(want) - 1);
	}
	int rc = next_record(r, e);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return fail(e, "%s:1: empty file (expected the header %s)", r->path, want);
	for (size_t i = 0; i < n; i++)
		if (find_col(r, names[i], &cols[i]) < 0)
			return fail(e, "%s:%zu: header lacks column '%s' (expected %s)", r->path,
				    r->line, names[i], want);
	return 0;
}

static int load_ratings(const char *path, ml_format fmt, rating_vec *v, ml_err *e)
{
	csv_reader r;
	static const char *const hdr[] = {"userId", "movieId", "rating", "timestamp"};
	const char *sep = fmt == ML_FORMAT_LATEST_CSV ? "," : fmt == ML_FORMAT_100K ? "\t" : "::";
	if (csv_open(&r, path, sep, fmt == ML_FORMAT_LATEST_CSV, e->buf, e->len) < 0)
		return -1;
	cols4 c = {0, 1, 2, 3, 4, "user id", "item id"};
	if (fmt == ML_FORMAT_1M) {
		c.user_name = "UserID";
		c.movie_name = "MovieID";
	}
	int rc;
	if (fmt == ML_FORMAT_LATEST_CSV) {
		size_t cols[4];
		if (read_header(&r, hdr, cols, 4, e) < 0)
			goto fail;
		c = (cols4){cols[0], cols[1], cols[2], cols[3], r.n_fields, "userId", "movieId"};
	}
	while ((rc = next_record(&r, e)) > 0)
		if (parse_rating_row(&r, &c, v, e) < 0)
			goto fail;
	if (rc < 0)
		goto fail;
	if (v->n == 0) {
		if (fmt == ML_FORMAT_LATEST_CSV)
			fail(e, "%s:%zu: no ratings after the header", path, r.next_line);
		else
			fail(e, "%s:%zu: no ratings (empty file)", path, r.next_line);
		goto fail;
	}
	csv_close(&r);
	return 0;
fail:
	csv_close(&r);
	return -1;
}

static int cmp_rating(const void *a, const void *b)
{
	const ml_rating *x = a, *y = b;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->timestamp != y->timestamp)
		return x->timestamp < y->timestamp ? -1 : 1;
	if (x->movie != y->movie)
		return x->movie < y->movie ? -1 : 1;
	return 0;
}

/* ---- movies ---------------------------------------------------------------------------------- */

typedef struct movie_tmp {
	ml_movie m;
	size_t line;
} movie_tmp;

typedef struct movie_vec {
	movie_tmp *a;
	size_t n, cap;
} movie_vec;

static void movie_vec_free(movie_vec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->a[i].m.title);
	free(v->a);
	memset(v, 0, sizeof(*v));
}

static uint32_t genres_from_list(const char *s, size_t len)
{
	uint32_t bits = 0;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '|')
			j++;
		int g = genre_from_name(s + i, j - i);
		if (g >= 0)
			bits |= 1u << g;
		i = j + 1;
	}
	return bits;
}

static int add_movie(csv_reader *r, movie_vec *v, uint32_t id, const csv_field *title,
		     uint32_t genres, ml_err *e)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 1024;
		movie_tmp *p = realloc(v->a, cap * sizeof(*p));
		if (!p)
			return fail(e, "%s:%zu: out of memory", r->path, r->line);
		v->a = p;
		v->cap = cap;
	}
	char *t = malloc(title->len + 1);
	if (!t)
		return fail(e, "%s:%zu: out of memory", r->path, r->line);
	memcpy(t, title->p, title->len + 1);
	v->a[v->n++] = (movie_tmp){{id, t, genres, -1}, r->line};
	/* cppcheck-suppress memleak ; t now belongs to v->a */
	return 0;
}

/* ml-100k u.item genre flags, columns 5..23. "unknown" has no bit. */
static const int u_item_genres[19] = {
	-1, GENRE_ACTION, GENRE_ADVENTURE, GENRE_ANIMATION, GENRE_CHILDREN, GENRE_COMEDY,
	GENRE_CRIME, GENRE_DOCUMENTARY, GENRE_DRAMA, GENRE_FANTASY, GENRE_FILM_NOIR, GENRE_HORROR,
	GENRE_MUSICAL, GENRE_MYSTERY, GENRE_ROMANCE, GENRE_SCI_FI, GENRE_THRILLER, GENRE_WAR,
	GENRE_WESTERN,
};

static int load_movies(const char *path, ml_format fmt, movie_vec *v, ml_err *e)
{
	csv_reader r;
	char b[48];
	const char *sep = fmt == ML_FORMAT_LATEST_CSV ? "," : fmt == ML_FORMAT_100K ? "|" : "::";
	if (csv_open(&r, path, sep, fmt == ML_FORMAT_LATEST_CSV, e->buf, e->len) < 0)
		return -1;
	size_t cols[3] = {0, 1, 2}, nf = fmt == ML_FORMAT_100K ? 24 : 3;
	if (fmt == ML_FORMAT_LATEST_CSV) {
		static const char *const hdr[] = {"movieId", "title", "genres"};
		if (read_header(&r, hdr, cols, 3, e) < 0)
			goto fail;
		nf = r.n_fields;
	}
	const char *id_name = fmt == ML_FORMAT_LATEST_CSV ? "movieId"
			      : fmt == ML_FORMAT_100K	  ? "movie id"
							  : "MovieID";
	int rc;
	while ((rc = next_record(&r, e)) > 0) {
		uint32_t id, genres = 0;
		if (check_nfields(&r, nf, e) < 0 || parse_id(&r, cols[0], id_name, &id, e) < 0)
			goto fail;
		if (fmt == ML_FORMAT_100K) {
			for (size_t k = 0; k < 19; k++) {
				const csv_field *f = &r.fields[5 + k];
				if (f->len != 1 || (f->p[0] != '0' && f->p[0] != '1')) {
					fail(e, "%s:%zu: genre flag '%s' is not 0 or 1", path, r.line,
					     shown(b, sizeof(b), f));
					goto fail;
				}
				if (f->p[0] == '1' && u_item_genres[k] >= 0)
					genres |= 1u << u_item_genres[k];
			}
		} else {
			genres = genres_from_list(r.fields[cols[2]].p, r.fields[cols[2]].len);
		}
		if (add_movie(&r, v, id, &r.fields[cols[1]], genres, e) < 0)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	if (v->n == 0) {
		fail(e, "%s:%zu: no movies%s", path, r.next_line,
		     fmt == ML_FORMAT_LATEST_CSV ? " after the header" : " (empty file)");
		goto fail;
	}
	csv_close(&r);
	return 0;
fail:
	csv_close(&r);
	return -1;
}

static int cmp_movie_tmp(const void *a, const void *b)
{
	const movie_tmp *x = a, *y = b;
	if (x->m.id != y->m.id)
		return x->m.id < y->m.id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_movie_key(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key, id = ((const ml_movie *)elem)->id;
	return k < id ? -1 : k > id;
}

const ml_movie *ml_find_movie(const ml_dataset *ds, uint32_t movie_id)
{
	if (!ds || !ds->movies || ds->n_movies == 0)
		return NULL;
	return bsearch(&movie_id, ds->movies, ds->n_movies, sizeof(*ds->movies), cmp_movie_key);
}

/* links.csv: movieId,imdbId,tmdbId; sets tmdb_id of the movies it names. */
static int load_links(const char *path, ml_dataset *ds, ml_err *e)
{
	csv_reader r;
	char b[48];
	static const char *const hdr[] = {"movieId", "imdbId", "tmdbId"};
	size_t cols[3];
	if (csv_open(&r, path, ",", 1, e->buf, e->len) < 0)
		return -1;
	if (read_header(&r, hdr, cols, 3, e) < 0)
		goto fail;
	size_t nf = r.n_fields;
	int rc;
	while ((rc = next_record(&r, e)) > 0) {
		uint32_t id;
		int64_t tmdb = -1;
		if (check_nfields(&r, nf, e) < 0 || parse_id(&r, cols[0], "movieId", &id, e) < 0)
			goto fail;
		const csv_field *t = &r.fields[cols[2]];
		if (t->len && (csv_parse_i64(t->p, t->len, &tmdb) < 0 || tmdb < 0)) {
			fail(e, "%s:%zu: tmdbId '%s' is not a valid id", path, r.line,
			     shown(b, sizeof(b), t));
			goto fail;
		}
		ml_movie *m = (ml_movie *)ml_find_movie(ds, id);
		if (m)
			m->tmdb_id = tmdb;
	}
	if (rc < 0)
		goto fail;
	csv_close(&r);
	return 0;
fail:
	csv_close(&r);
	return -1;
}

/* ---- dataset --------------------------------------------------------------------------------- */

void ml_free(ml_dataset *ds)
{
	if (!ds)
		return;
	if (ds->movies)
		for (size_t i = 0; i < ds->n_movies; i++)
			free(ds->movies[i].title);
	free(ds->movies);
	free(ds->ratings);
	memset(ds, 0, sizeof(*ds));
}

int ml_load(const char *dir, ml_dataset *out, char *err, size_t errlen)
{
	ml_err e = {err, errlen};
	rating_vec rv = {0};
	movie_vec mv = {0};
	ml_dataset ds;
	char rpath[4096], mpath[4096], lpath[4096];
	memset(&ds, 0, sizeof(ds));
	if (err && errlen)
		err[0] = '\0';
	if (!out)
		return fail(&e, "ml_load: no output dataset");
	memset(out, 0, sizeof(*out));
	if (!dir || !*dir)
		return fail(&e, "ml_load: no directory given");

	const char *rname, *mname;
	if (file_exists(dir, "ratings.csv")) {
		ds.format = ML_FORMAT_LATEST_CSV;
		rname = "ratings.csv";
		mname = "movies.csv";
	} else if (file_exists(dir, "u.data")) {
		ds.format = ML_FORMAT_100K;
		rname = "u.data";
		mname = "u.item";
	} else if (file_exists(dir, "ratings.dat")) {
		ds.format = ML_FORMAT_1M;
		rname = "ratings.dat";
		mname = "movies.dat";
	} else {
		if (access(dir, F_OK) != 0)
			return fail(&e, "%s: %s", dir, strerror(errno));
		return fail(&e, "%s: no MovieLens ratings file found (expected ratings.csv, u.data or "
				"ratings.dat)", dir);
	}
	if (join_path(rpath, sizeof(rpath), dir, rname) < 0 ||
	    join_path(mpath, sizeof(mpath), dir, mname) < 0 ||
	    join_path(lpath, sizeof(lpath), dir, "links.csv") < 0)
		return fail(&e, "%s: path too long", dir);

	if (load_ratings(rpath, ds.format, &rv, &e) < 0)
		goto fail;
	if (load_movies(mpath, ds.format, &mv, &e) < 0)
		goto fail;

	qsort(mv.a, mv.n, sizeof(*mv.a), cmp_movie_tmp);
	for (size_t i = 1; i < mv.n; i++) {
		if (mv.a[i].m.id == mv.a[i - 1].m.id) {
			fail(&e, "%s:%zu: movie id %u listed again (first on line %zu)", mpath,
			     mv.a[i].line, (unsigned)mv.a[i].m.id, mv.a[i - 1].line);
			goto fail;
		}
	}
	ds.movies = malloc(mv.n * sizeof(*ds.movies));
	if (!ds.movies) {
		fail(&e, "%s: out of memory", mpath);
		goto fail;
	}
	for (size_t i = 0; i < mv.n; i++)
		ds.movies[i] = mv.a[i].m;
	ds.n_movies = mv.n;
	free(mv.a); /* titles now belong to ds */
	mv = (movie_vec){0};

	if (ds.format == ML_FORMAT_LATEST_CSV && access(lpath, F_OK) == 0 &&
	    load_links(lpath, &ds, &e) < 0)
		goto fail;

	/* already in order in most files: skip the sort then */
	int sorted = 1;
	for (size_t i = 1; i < rv.n && sorted; i++)
		sorted = cmp_rating(&rv.a[i - 1], &rv.a[i]) <= 0;
	if (!sorted)
		qsort(rv.a, rv.n, sizeof(*rv.a), cmp_rating);
	ml_rating *shrunk = realloc(rv.a, rv.n * sizeof(*rv.a));
	ds.ratings = shrunk ? shrunk : rv.a;
	ds.n_ratings = rv.n;
	rv = (rating_vec){0};
	uint32_t users = 0;
	for (size_t i = 0; i < ds.n_ratings; i++)
		if (i == 0 || ds.ratings[i].user != ds.ratings[i - 1].user)
			users++;
	ds.n_users = users;
	*out = ds;
	return 0;

fail:
	free(rv.a);
	movie_vec_free(&mv);
	ml_free(&ds);
	memset(out, 0, sizeof(*out));
	return -1;
}
