/* SPDX-License-Identifier: MIT */
/* tmdb.c - loader for Kaggle "The Movies Dataset" movies_metadata.csv (TMDB metadata).
 *
 * Columns are found by header name. Rows that cannot be trusted (wrong field count, quoting
 * problems, an id that is not a number, a genres value that is not a python list, a vote out of
 * range) are skipped and counted, never fatal: the published file has a few. A malformed record
 * that spans several lines (a stray quote swallowing the lines after it) is cut back to its first
 * line and reading resumes on the next one.
 */
#include "dataset.h"
#include "dataset_csv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct tmdb_tmp {
	tmdb_movie m;
	size_t seq;
} tmdb_tmp;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int tfail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Reads a python string literal starting at s[*i] (a ' or " quote) into buf (cut at cap-1).
 * Returns its length, or -1 if it does not end before len. */
static long py_string(const char *s, size_t len, size_t *i, char *buf, size_t cap)
{
	char q = s[*i];
	size_t k = *i + 1, n = 0;
	while (k < len && s[k] != q) {
		char c = s[k];
		if (c == '\\') {
			if (k + 1 >= len)
				return -1;
			c = s[++k];
		}
		if (n + 1 < cap)
			buf[n++] = c;
		k++;
	}
	if (k >= len)
		return -1;
	buf[n] = '\0';
	*i = k + 1;
	return (long)n;
}

/* Genres of a python literal list of dicts: [{'id': 16, 'name': 'Animation'}, ...].
 * Both quote styles are accepted. Returns 0 with the bits, or -1 if it is not such a list. */
static int parse_genres(const char *s, size_t len, uint32_t *bits)
{
	*bits = 0;
	while (len && is_space(s[0])) {
		s++;
		len--;
	}
	while (len && is_space(s[len - 1]))
		len--;
	if (len == 0)
		return 0;
	if (s[0] != '[' || s[len - 1] != ']')
		return -1;
	char key[64], val[64];
	size_t i = 1;
	while (i < len) {
		if (s[i] != '\'' && s[i] != '"') {
			i++;
			continue;
		}
		long kl = py_string(s, len, &i, key, sizeof(key));
		if (kl < 0)
			return -1;
		size_t j = i;
		while (j < len && is_space(s[j]))
			j++;
		if (j >= len || s[j] != ':' || strcmp(key, "name") != 0)
			continue; /* a value, or a key other than 'name' */
		j++;
		while (j < len && is_space(s[j]))
			j++;
		if (j < len && (s[j] == '\'' || s[j] == '"')) {
			long vl = py_string(s, len, &j, val, sizeof(val));
			if (vl < 0)
				return -1;
			int g = genre_from_name(val, (size_t)vl);
			if (g >= 0)
				*bits |= 1u << g;
		}
		i = j;
	}
	return 0;
}

static int parse_tmdb_id(const csv_field *f, int64_t *out)
{
	if (f->len == 0 || f->p[0] < '0' || f->p[0] > '9')
		return -1;
	return csv_parse_i64(f->p, f->len, out);
}

/* Empty -> -1. Accepts "5415" and pandas' float spelling "5415.0". */
static int parse_count(const csv_field *f, int64_t *out)
{
	if (f->len == 0) {
		*out = -1;
		return 0;
	}
	if (f->p[0] == '-')
		return -1;
	if (csv_parse_i64(f->p, f->len, out) == 0)
		return 0;
	double d;
	if (csv_parse_double(f->p, f->len, &d) < 0 || d < 0 || d > 1e15 || d != (double)(int64_t)d)
		return -1;
	*out = (int64_t)d;
	return 0;
}

static int parse_average(const csv_field *f, double *out)
{
	if (f->len == 0) {
		*out = -1;
		return 0;
	}
	double d;
	if (csv_parse_double(f->p, f->len, &d) < 0 || d < 0 || d > 10)
		return -1;
	*out = d;
	return 0;
}

enum { C_ID, C_GENRES, C_LANG, C_VAVG, C_VCOUNT, C_N };
static const char *const col_names[C_N] = {"id", "genres", "original_language", "vote_average",
					   "vote_count"};

/* Parses one data row; returns 0 or -1 for a malformed row. */
static int parse_row(const csv_reader *r, const size_t *col, size_t nf, tmdb_movie *m)
{
	if (r->flags || r->n_fields != nf)
		return -1;
	memset(m, 0, sizeof(*m));
	if (parse_tmdb_id(&r->fields[col[C_ID]], &m->id) < 0)
		return -1;
	if (parse_genres(r->fields[col[C_GENRES]].p, r->fields[col[C_GENRES]].len, &m->genres) < 0)
		return -1;
	const csv_field *lang = &r->fields[col[C_LANG]];
	if (lang->len >= sizeof(m->lang))
		return -1;
	memcpy(m->lang, lang->p, lang->len);
	m->lang[lang->len] = '\0';
	if (parse_average(&r->fields[col[C_VAVG]], &m->vote_average) < 0 ||
	    parse_count(&r->fields[col[C_VCOUNT]], &m->vote_count) < 0)
		return -1;
	return 0;
}

static int cmp_tmp(const void *a, const void *b)
{
	const tmdb_tmp *x = a, *y = b;
	if (x->m.id != y->m.id)
		return x->m.id < y->m.id ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_key(const void *key, const void *elem)
{
	int64_t k = *(const int64_t *)key, id = ((const tmdb_movie *)elem)->id;
	return k < id ? -1 : k > id;
}

const tmdb_movie *tmdb_find(const tmdb_meta *meta, int64_t id)
{
	if (!meta || !meta->movies || meta->n_movies == 0)
		return NULL;
	return bsearch(&id, meta->movies, meta->n_movies, sizeof(*meta->movies), cmp_key);
}

void tmdb_free(tmdb_meta *meta)
{
	if (!meta)
		return;
	free(meta->movies);
	memset(meta, 0, sizeof(*meta));
}

int tmdb_load(const char *path, tmdb_meta *out, char *err, size_t errlen)
{
	csv_reader r;
	tmdb_meta meta;
	tmdb_tmp *tmp = NULL;
	size_t n = 0, cap = 0, col[C_N];
	memset(&meta, 0, sizeof(meta));
	if (err && errlen)
		err[0] = '\0';
	if (!out)
		return tfail(err, errlen, "tmdb_load: no output");
	memset(out, 0, sizeof(*out));
	if (!path)
		return tfail(err, errlen, "tmdb_load: no path");
	if (csv_open(&r, path, ",", 1, err, errlen) < 0)
		return -1;

	int rc;
	do
		rc = csv_next(&r, err, errlen);
	while (rc > 0 && csv_blank(&r));
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		tfail(err, errlen, "%s:1: empty file (expected a movies_metadata.csv header)", path);
		goto fail;
	}
	if (r.flags) {
		if (r.flags & CSV_F_TOO_LONG)
			tfail(err, errlen, "%s:%zu: header longer than %zu bytes", path, r.line,
			      r.max_record);
		else
			tfail(err, errlen, "%s:%zu: header: %s", path, r.line,
			      csv_flag_reason(r.flags));
		goto fail;
	}
	for (int c = 0; c < C_N; c++) {
		size_t nl = strlen(col_names[c]), k;
		for (k = 0; k < r.n_fields; k++)
			if (r.fields[k].len == nl && memcmp(r.fields[k].p, col_names[c], nl) == 0)
				break;
		if (k == r.n_fields) {
			tfail(err, errlen, "%s:%zu: header lacks column '%s'", path, r.line,
			      col_names[c]);
			goto fail;
		}
		col[c] = k;
	}
	size_t nf = r.n_fields;

	while ((rc = csv_next(&r, err, errlen)) > 0) {
		if (csv_blank(&r))
			continue;
		meta.n_rows++;
		tmdb_movie m;
		if (parse_row(&r, col, nf, &m) < 0) {
			meta.n_malformed++;
			if (!meta.first_malformed_line)
				meta.first_malformed_line = r.line;
			/* Quoting gone wrong over several lines (a stray quote swallowing the rows after
			 * it): keep only the first line as the bad row. A record that is merely too long
			 * but consistently quoted ended where it should and is skipped whole. */
			int suspect = (r.flags & (CSV_F_BAD_QUOTE | CSV_F_UNTERMINATED)) ||
				      (!(r.flags & CSV_F_TOO_LONG) && r.n_fields != nf);
			if (suspect && r.end_line > r.line && csv_resync(&r, err, errlen) < 0)
				goto fail;
			continue;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			tmdb_tmp *p = realloc(tmp, ncap * sizeof(*p));
			if (!p) {
				tfail(err, errlen, "%s:%zu: out of memory", path, r.line);
				goto fail;
			}
			tmp = p;
			cap = ncap;
		}
		tmp[n].m = m;
		tmp[n].seq = n;
		n++;
	}
	if (rc < 0)
		goto fail;
	if (n == 0) {
		if (meta.n_rows == 0)
			tfail(err, errlen, "%s:%zu: no data rows after the header", path, r.next_line);
		else
			tfail(err, errlen, "%s:%zu: no usable rows (%zu read, all malformed; first at line %zu)",
			      path, r.next_line, meta.n_rows, meta.first_malformed_line);
		goto fail;
	}

	qsort(tmp, n, sizeof(*tmp), cmp_tmp);
	meta.movies = malloc(n * sizeof(*meta.movies));
	if (!meta.movies) {
		tfail(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && tmp[i].m.id == tmp[i - 1].m.id) {
			meta.n_duplicates++;
			continue;
		}
		meta.movies[meta.n_movies++] = tmp[i].m;
	}
	free(tmp);
	csv_close(&r);
	*out = meta;
	return 0;

fail:
	free(tmp);
	tmdb_free(&meta);
	csv_close(&r);
	memset(out, 0, sizeof(*out));
	return -1;
}
