/* SPDX-License-Identifier: MIT */
/* test_tmdb.c - the TMDB movies_metadata.csv loader. Run from the repository root: fixtures are
 * under tests/fixtures/tmdb, the real files (optional) under ../shared/data/the-movies-dataset. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "dataset_csv.h"

#define FIXTURES "tests/fixtures"
#define TMDB_FIX FIXTURES "/tmdb"
#define SHARED_DATA "../shared/data"
#define META_DIR SHARED_DATA "/the-movies-dataset"

#define G(x) (1u << GENRE_##x)

static const char header24[] =
	"adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,"
	"original_title,overview,popularity,poster_path,production_companies,production_countries,"
	"release_date,revenue,runtime,spoken_languages,status,tagline,title,video,vote_average,"
	"vote_count\n";

static void load_ok(const char *path, tmdb_meta *m)
{
	char err[512] = "";
	int rc = tmdb_load(path, m, err, sizeof(err));
	cr_assert_eq(rc, 0, "tmdb_load(%s) failed: %s", path, err);
}

static void load_fail(const char *path, const char *want_err)
{
	tmdb_meta m;
	char err[512] = "";
	memset(&m, 0xAB, sizeof(m));
	cr_assert_eq(tmdb_load(path, &m, err, sizeof(err)), -1, "tmdb_load(%s) should fail", path);
	cr_assert_str_eq(err, want_err, "error message for %s", path);
	cr_assert_null(m.movies, "a failed load leaves movies NULL");
	cr_assert_eq(m.n_movies, 0u);
	tmdb_free(&m);
}

static const tmdb_movie *find(const tmdb_meta *m, int64_t id)
{
	const tmdb_movie *t = tmdb_find(m, id);
	cr_assert_not_null(t, "TMDB id %lld not found", (long long)id);
	return t;
}

static void expect_counts(const tmdb_meta *m, size_t rows, size_t movies, size_t malformed,
			  size_t dups, size_t first_bad)
{
	cr_assert_eq(m->n_rows, rows, "n_rows: expected %zu, got %zu", rows, m->n_rows);
	cr_assert_eq(m->n_movies, movies, "n_movies: expected %zu, got %zu", movies, m->n_movies);
	cr_assert_eq(m->n_malformed, malformed, "n_malformed: expected %zu, got %zu", malformed,
		     m->n_malformed);
	cr_assert_eq(m->n_duplicates, dups, "n_duplicates: expected %zu, got %zu", dups,
		     m->n_duplicates);
	cr_assert_eq(m->first_malformed_line, first_bad, "first_malformed_line: expected %zu, got %zu",
		     first_bad, m->first_malformed_line);
	for (size_t i = 1; i < m->n_movies; i++)
		cr_assert_lt(m->movies[i - 1].id, m->movies[i].id, "movies not sorted at %zu", i);
}

/* Writes a temporary file; returns its path in buf. */
static void write_tmp(char *dir, size_t dircap, char *path, size_t cap, const char *a, size_t alen,
		      const char *b, size_t blen)
{
	snprintf(dir, dircap, "/tmp/wnnrec_tmdb_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, cap, "%s/meta.csv", dir);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(a, 1, alen, f), alen);
	cr_assert_eq(fwrite(b, 1, blen, f), blen);
	fclose(f);
}

/* ---- fixtures -------------------------------------------------------------------------------- */

Test(tmdb, counts_rows_malformed_rows_and_duplicates)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_lf.csv", &m);
	/* 12 records: 7 good, 4 malformed (lines 8, 10, 12, 13), 1 duplicate (line 9) */
	expect_counts(&m, 12, 7, 4, 1, 8);
	tmdb_free(&m);
}

Test(tmdb, reads_language_votes_and_python_literal_genres)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_lf.csv", &m);
	const tmdb_movie *t = find(&m, 862);
	cr_assert_str_eq(t->lang, "en");
	cr_assert_float_eq(t->vote_average, 7.7, 1e-9, "got %f", t->vote_average);
	cr_assert_eq(t->vote_count, 5415, "got %lld", (long long)t->vote_count);
	cr_assert_eq(t->genres, G(ANIMATION) | G(COMEDY) | G(CHILDREN), "Family is Children: %#x",
		     t->genres);
	t = find(&m, 8844); /* its quoted overview spans two lines */
	cr_assert_eq(t->genres, G(ADVENTURE) | G(FANTASY));
	cr_assert_eq(t->vote_count, 2413);
	t = find(&m, 11);
	cr_assert_str_eq(t->lang, "fr");
	cr_assert_eq(t->genres, G(SCI_FI) | G(TV_MOVIE) | G(HISTORY) | G(FOREIGN),
		     "multi-word names: got %#x", t->genres);
	cr_assert_eq(t->vote_count, 6778, "vote_count written as 6778.0: got %lld",
		     (long long)t->vote_count);
	t = find(&m, 14);
	cr_assert_eq(t->genres, G(CHILDREN), "double-quoted python string \"Children's\": %#x",
		     t->genres);
	t = find(&m, 17);
	cr_assert_str_eq(t->lang, "ja");
	cr_assert_eq(t->genres, G(HORROR));
	tmdb_free(&m);
}

Test(tmdb, double_quoted_python_strings_and_unknown_names)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_lf.csv", &m);
	const tmdb_movie *t = find(&m, 12);
	cr_assert_eq(t->genres, G(MUSICAL) | G(DOCUMENTARY),
		     "Music + Documentary, 'Carousel Productions' ignored: got %#x", t->genres);
	tmdb_free(&m);
}

Test(tmdb, empty_votes_are_minus_one_and_empty_lists_have_no_genres)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_lf.csv", &m);
	const tmdb_movie *t = find(&m, 12);
	cr_assert_float_eq(t->vote_average, -1.0, 1e-12, "empty vote_average: got %f",
			   t->vote_average);
	cr_assert_eq(t->vote_count, -1, "empty vote_count: got %lld", (long long)t->vote_count);
	t = find(&m, 13);
	cr_assert_eq(t->genres, 0u, "[] has no genres");
	cr_assert_str_eq(t->lang, "", "empty original_language");
	cr_assert_float_eq(t->vote_average, 0.0, 1e-12);
	cr_assert_eq(t->vote_count, 0);
	tmdb_free(&m);
}

Test(tmdb, duplicate_id_keeps_the_first_row)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_lf.csv", &m);
	const tmdb_movie *t = find(&m, 862);
	cr_assert_str_eq(t->lang, "en", "the later duplicate has lang xx");
	cr_assert_eq(t->vote_count, 5415);
	tmdb_free(&m);
}

Test(tmdb, malformed_rows_are_skipped)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_lf.csv", &m);
	cr_assert_null(tmdb_find(&m, 15), "genres not a list: row skipped");
	cr_assert_null(tmdb_find(&m, 16), "vote_average 11.5: row skipped");
	cr_assert_null(tmdb_find(&m, 1997), "id 1997-08-20 is not an id");
	tmdb_free(&m);
}

Test(tmdb, crlf_file_loads_like_lf_file)
{
	tmdb_meta a, b;
	load_ok(TMDB_FIX "/metadata_lf.csv", &a);
	load_ok(TMDB_FIX "/metadata_crlf.csv", &b);
	expect_counts(&b, a.n_rows, a.n_movies, a.n_malformed, a.n_duplicates,
		      a.first_malformed_line);
	for (size_t i = 0; i < a.n_movies; i++) {
		cr_assert_eq(b.movies[i].id, a.movies[i].id);
		cr_assert_eq(b.movies[i].genres, a.movies[i].genres, "id %lld", (long long)a.movies[i].id);
		cr_assert_str_eq(b.movies[i].lang, a.movies[i].lang);
		cr_assert_eq(b.movies[i].vote_count, a.movies[i].vote_count);
		cr_assert_float_eq(b.movies[i].vote_average, a.movies[i].vote_average, 1e-12);
	}
	tmdb_free(&a);
	tmdb_free(&b);
}

Test(tmdb, stray_quote_costs_one_row_not_the_rows_it_swallows)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_stray_quote.csv", &m);
	/* line 3 opens a quote that runs into line 4; line 6 has quotes inside an unquoted field */
	expect_counts(&m, 6, 4, 2, 0, 3);
	cr_assert_not_null(tmdb_find(&m, 20));
	cr_assert_null(tmdb_find(&m, 21));
	cr_assert_not_null(tmdb_find(&m, 22), "row after the stray quote must be recovered");
	cr_assert_eq(find(&m, 22)->genres, G(COMEDY));
	cr_assert_not_null(tmdb_find(&m, 23), "properly doubled quotes are fine");
	cr_assert_null(tmdb_find(&m, 24));
	cr_assert_eq(find(&m, 25)->genres, G(WAR));
	tmdb_free(&m);
}

Test(tmdb, kaggle_broken_movie_costs_its_two_lines)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_kaggle_broken_row.csv", &m);
	/* as in the full file (ids 82663 / "1997-08-20"): line 3 ends inside an unquoted overview
	 * (10 fields), line 4 holds the rest with a stray quote (15 fields): both skipped */
	expect_counts(&m, 4, 2, 2, 0, 3);
	cr_assert_not_null(tmdb_find(&m, 40));
	cr_assert_null(tmdb_find(&m, 82663));
	cr_assert_eq(find(&m, 41)->genres, G(COMEDY), "the row after the broken one is intact");
	tmdb_free(&m);
}

Test(tmdb, unterminated_quote_at_end_keeps_earlier_rows)
{
	tmdb_meta m;
	load_ok(TMDB_FIX "/metadata_unterminated.csv", &m);
	/* line 4 never closes its quote; after resync line 5 is a one-field row */
	expect_counts(&m, 4, 2, 2, 0, 4);
	cr_assert_not_null(tmdb_find(&m, 30));
	cr_assert_not_null(tmdb_find(&m, 31));
	cr_assert_null(tmdb_find(&m, 32));
	tmdb_free(&m);
}

Test(tmdb, oversized_unquoted_record_is_skipped)
{
	char dir[64], path[128];
	size_t big = CSV_MAX_RECORD_DEFAULT + 1000;
	const char *row5 = "False,,0,[],,5,tt1,en,T,O,1,,[],,2000-01-01,,,,Released,,T,False,5.0,3\n";
	const char *row6 = "False,,0,[],,6,tt1,en,T,O,1,,[],,2000-01-01,,,,Released,,T,False,5.0,3\n";
	size_t l5 = strlen(row5), l6 = strlen(row6);
	char *body = malloc(l5 + big + 1 + l6);
	cr_assert_not_null(body);
	memcpy(body, row5, l5);
	memset(body + l5, 'z', big);
	body[l5 + big] = '\n';
	memcpy(body + l5 + big + 1, row6, l6);
	write_tmp(dir, sizeof(dir), path, sizeof(path), header24, strlen(header24), body,
		  l5 + big + 1 + l6);
	free(body);
	tmdb_meta m;
	load_ok(path, &m);
	expect_counts(&m, 3, 2, 1, 0, 3);
	cr_assert_not_null(tmdb_find(&m, 5));
	cr_assert_not_null(tmdb_find(&m, 6));
	tmdb_free(&m);
	unlink(path);
	rmdir(dir);
}

Test(tmdb, oversized_quoted_record_spanning_lines_is_skipped)
{
	char dir[64], path[128];
	size_t big = CSV_MAX_RECORD_DEFAULT + 1000;
	const char *head = "False,,0,[],,5,tt1,en,T,\"";
	const char *tail = "\",1,,[],,2000-01-01,,,,Released,,T,False,5.0,3\n"
			   "False,,0,[],,7,tt1,en,T,O,1,,[],,2000-01-01,,,,Released,,T,False,5.0,3\n";
	size_t hl = strlen(head), tl = strlen(tail);
	char *body = malloc(hl + big + tl);
	cr_assert_not_null(body);
	memcpy(body, head, hl);
	for (size_t i = 0; i < big; i++)
		body[hl + i] = (i % 100 == 99) ? '\n' : 'q';
	memcpy(body + hl + big, tail, tl);
	write_tmp(dir, sizeof(dir), path, sizeof(path), header24, strlen(header24), body,
		  hl + big + tl);
	free(body);
	tmdb_meta m;
	load_ok(path, &m);
	/* consistently quoted: skipped as one row, not re-read line by line */
	expect_counts(&m, 2, 1, 1, 0, 2);
	cr_assert_null(tmdb_find(&m, 5), "the oversized row is skipped");
	cr_assert_not_null(tmdb_find(&m, 7), "the row after it is read");
	tmdb_free(&m);
	unlink(path);
	rmdir(dir);
}

Test(tmdb_errors, header_without_a_needed_column)
{
	load_fail(TMDB_FIX "/missing_column.csv",
		  TMDB_FIX "/missing_column.csv:1: header lacks column 'vote_count'");
}

Test(tmdb_errors, empty_file)
{
	load_fail(TMDB_FIX "/empty.csv",
		  TMDB_FIX "/empty.csv:1: empty file (expected a movies_metadata.csv header)");
}

Test(tmdb_errors, header_only_file)
{
	load_fail(TMDB_FIX "/header_only.csv",
		  TMDB_FIX "/header_only.csv:2: no data rows after the header");
}

Test(tmdb_errors, file_where_every_row_is_malformed)
{
	load_fail(TMDB_FIX "/all_malformed.csv",
		  TMDB_FIX "/all_malformed.csv:4: no usable rows (2 read, all malformed; first at line 2)");
}

Test(tmdb_errors, missing_file)
{
	load_fail(TMDB_FIX "/nope.csv", TMDB_FIX "/nope.csv: No such file or directory");
}

Test(tmdb_api, free_and_find_are_safe_on_empty_metadata)
{
	tmdb_meta m;
	memset(&m, 0, sizeof(m));
	cr_assert_null(tmdb_find(&m, 862));
	cr_assert_null(tmdb_find(NULL, 862));
	tmdb_free(&m);
	tmdb_free(NULL);
	load_ok(TMDB_FIX "/metadata_lf.csv", &m);
	cr_assert_null(tmdb_find(&m, 999999), "absent id");
	cr_assert_null(tmdb_find(&m, -1));
	tmdb_free(&m);
	cr_assert_null(m.movies);
	cr_assert_eq(m.n_movies, 0u);
	tmdb_free(&m);
}

/* ---- the real files -------------------------------------------------------------------------- */

static void expect_toy_story(const tmdb_meta *m)
{
	const tmdb_movie *t = find(m, 862);
	cr_assert_eq(t->vote_count, 5415, "862 vote_count: got %lld", (long long)t->vote_count);
	cr_assert_float_eq(t->vote_average, 7.7, 1e-9, "862 vote_average: got %f", t->vote_average);
	cr_assert_str_eq(t->lang, "en");
	cr_assert_eq(t->genres, G(ANIMATION) | G(COMEDY) | G(CHILDREN), "got %#x", t->genres);
	t = find(m, 8844); /* Jumanji */
	cr_assert_eq(t->vote_count, 2413);
	cr_assert_float_eq(t->vote_average, 6.9, 1e-9);
	cr_assert_eq(t->genres, G(ADVENTURE) | G(FANTASY) | G(CHILDREN));
}

Test(tmdb_real, metadata_for_ml_latest_small)
{
	const char *path = META_DIR "/movies_metadata.ml-latest-small.csv";
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not present", path);
	tmdb_meta m;
	load_ok(path, &m);
	expect_counts(&m, 7062, 7062, 0, 0, 0);
	expect_toy_story(&m);
	tmdb_free(&m);
}

Test(tmdb_real, first_5000_rows_of_the_kaggle_file)
{
	const char *path = META_DIR "/movies_metadata.head5000.csv";
	if (access(path, R_OK) != 0)
		cr_skip_test("%s not present", path);
	tmdb_meta m;
	load_ok(path, &m);
	/* 5,000 records over 5,005 data lines (4 overviews span lines); id 105045 is listed twice
	 * (lines 679 and 1468); no malformed row in this part of the file */
	expect_counts(&m, 5000, 4999, 0, 1, 0);
	expect_toy_story(&m);
	const tmdb_movie *t = find(&m, 105045);
	cr_assert_eq(t->vote_count, 1, "first of the duplicates: got %lld", (long long)t->vote_count);
	cr_assert_float_eq(t->vote_average, 5.0, 1e-9);
	tmdb_free(&m);
}

Test(tmdb_real, every_metadata_id_is_a_tmdb_id_of_ml_latest_small)
{
	const char *path = META_DIR "/movies_metadata.ml-latest-small.csv";
	const char *ml = SHARED_DATA "/ml-latest-small";
	if (access(path, R_OK) != 0 || access(SHARED_DATA "/ml-latest-small/links.csv", R_OK) != 0)
		cr_skip_test("real data not present");
	tmdb_meta m;
	ml_dataset ds;
	char err[512] = "";
	load_ok(path, &m);
	cr_assert_eq(ml_load(ml, &ds, err, sizeof(err)), 0, "%s", err);
	size_t joined = 0;
	for (size_t i = 0; i < ds.n_movies; i++)
		if (ds.movies[i].tmdb_id >= 0 && tmdb_find(&m, ds.movies[i].tmdb_id))
			joined++;
	/* 7,062 ids; links.csv gives tmdbId 4912 to two movies (6003 and 144606) */
	cr_assert_eq(joined, 7063u, "ml-latest-small movies with metadata: got %zu", joined);
	cr_assert_eq(ml_find_movie(&ds, 6003)->tmdb_id, 4912);
	cr_assert_eq(ml_find_movie(&ds, 144606)->tmdb_id, 4912);
	for (size_t k = 0; k < m.n_movies; k++) {
		size_t i = 0;
		while (i < ds.n_movies && ds.movies[i].tmdb_id != m.movies[k].id)
			i++;
		cr_assert_lt(i, ds.n_movies, "metadata id %lld is in no links.csv row",
			     (long long)m.movies[k].id);
	}
	ml_free(&ds);
	tmdb_free(&m);
}
