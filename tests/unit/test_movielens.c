/* SPDX-License-Identifier: MIT */
/* test_movielens.c - the CSV record reader, the genre vocabulary and the MovieLens loaders.
 * Run from the repository root: fixtures are under tests/fixtures, the real data (optional) under
 * ../shared/data. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "dataset_csv.h"

#define FIXTURES "tests/fixtures"
#define ML_FIX FIXTURES "/movielens"
#define SHARED_DATA "../shared/data"

/* ---- helpers --------------------------------------------------------------------------------- */

typedef struct tmp_dir {
	char dir[64];
	char path[128];
} tmp_dir;

static void tmp_make(tmp_dir *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/wnnrec_ml_XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir), "mkdtemp failed");
}

/* Writes dir/name and returns its path (in t->path). */
static const char *tmp_write(tmp_dir *t, const char *name, const char *data, size_t len)
{
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	FILE *f = fopen(t->path, "wb");
	cr_assert_not_null(f, "cannot create %s", t->path);
	cr_assert_eq(fwrite(data, 1, len, f), len, "short write to %s", t->path);
	fclose(f);
	return t->path;
}

static void tmp_remove(tmp_dir *t, const char *const *names, size_t n)
{
	char p[160];
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", t->dir, names[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

static void open_text(csv_reader *r, tmp_dir *t, const char *text, const char *sep, int quoting)
{
	char err[256] = "";
	tmp_make(t);
	const char *p = tmp_write(t, "in.csv", text, strlen(text));
	cr_assert_eq(csv_open(r, p, sep, quoting, err, sizeof(err)), 0, "csv_open: %s", err);
}

static void close_text(csv_reader *r, tmp_dir *t)
{
	static const char *const names[] = {"in.csv"};
	csv_close(r);
	tmp_remove(t, names, 1);
}

static void expect_record(csv_reader *r, size_t line, size_t n, const char *const *want)
{
	char err[256] = "";
	int rc = csv_next(r, err, sizeof(err));
	cr_assert_eq(rc, 1, "expected a record at line %zu, csv_next gave %d (%s)", line, rc, err);
	cr_assert_eq(r->flags, 0u, "line %zu: unexpected flags %u", line, r->flags);
	cr_assert_eq(r->line, line, "record start line: expected %zu, got %zu", line, r->line);
	cr_assert_eq(r->n_fields, n, "line %zu: expected %zu fields, got %zu", line, n, r->n_fields);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(r->fields[i].len, strlen(want[i]), "line %zu field %zu: length %zu, want %zu",
			     line, i, r->fields[i].len, strlen(want[i]));
		cr_assert_str_eq(r->fields[i].p, want[i], "line %zu field %zu", line, i);
	}
}

static void expect_eof(csv_reader *r)
{
	char err[256] = "";
	int rc = csv_next(r, err, sizeof(err));
	cr_assert_eq(rc, 0, "expected end of file, csv_next gave %d (%s)", rc, err);
}

static void load_fail(const char *dir, const char *want_err)
{
	ml_dataset ds;
	char err[512] = "";
	memset(&ds, 0xAB, sizeof(ds));
	int rc = ml_load(dir, &ds, err, sizeof(err));
	cr_assert_eq(rc, -1, "ml_load(%s) should fail", dir);
	cr_assert_str_eq(err, want_err, "error message for %s", dir);
	cr_assert_null(ds.ratings, "failed load must leave ratings NULL");
	cr_assert_null(ds.movies, "failed load must leave movies NULL");
	cr_assert_eq(ds.n_ratings, 0u);
	cr_assert_eq(ds.n_movies, 0u);
	cr_assert_eq(ds.n_users, 0u);
	ml_free(&ds);
}

static void load_ok(const char *dir, ml_dataset *ds)
{
	char err[512] = "";
	int rc = ml_load(dir, ds, err, sizeof(err));
	cr_assert_eq(rc, 0, "ml_load(%s) failed: %s", dir, err);
}

static void expect_rating(const ml_dataset *ds, size_t i, uint32_t user, uint32_t movie,
			  float stars, int64_t ts)
{
	cr_assert_lt(i, ds->n_ratings);
	const ml_rating *r = &ds->ratings[i];
	cr_assert_eq(r->user, user, "rating %zu user: expected %u, got %u", i, user, r->user);
	cr_assert_eq(r->movie, movie, "rating %zu movie: expected %u, got %u", i, movie, r->movie);
	cr_assert_float_eq(r->rating, stars, 1e-6, "rating %zu stars: expected %.1f, got %.1f", i,
			   (double)stars, (double)r->rating);
	cr_assert_eq(r->timestamp, ts, "rating %zu timestamp: expected %lld, got %lld", i,
		     (long long)ts, (long long)r->timestamp);
}

static const ml_movie *movie(const ml_dataset *ds, uint32_t id)
{
	const ml_movie *m = ml_find_movie(ds, id);
	cr_assert_not_null(m, "movie %u not found", id);
	return m;
}

#define G(x) (1u << GENRE_##x)

/* ---- CSV reader ------------------------------------------------------------------------------ */

Test(csv_reader, splits_quoted_fields_with_commas_doubled_quotes_and_newlines)
{
	csv_reader r;
	tmp_dir t;
	open_text(&r, &t, "a,\"b, c\",\"say \"\"hi\"\"\"\n\"two\nlines\",,x\n", ",", 1);
	expect_record(&r, 1, 3, (const char *const[]){"a", "b, c", "say \"hi\""});
	expect_record(&r, 2, 3, (const char *const[]){"two\nlines", "", "x"});
	cr_assert_eq(r.end_line, 3u, "record end line: expected 3, got %zu", r.end_line);
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, reports_the_line_each_record_starts_on)
{
	csv_reader r;
	tmp_dir t;
	open_text(&r, &t, "h1,h2\n\"x\ny\nz\",1\nlast,2\n", ",", 1);
	expect_record(&r, 1, 2, (const char *const[]){"h1", "h2"});
	expect_record(&r, 2, 2, (const char *const[]){"x\ny\nz", "1"});
	expect_record(&r, 5, 2, (const char *const[]){"last", "2"});
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, accepts_crlf_lf_and_a_missing_final_newline)
{
	csv_reader r;
	tmp_dir t;
	open_text(&r, &t, "a,b\r\n\"q\",c\r\nd,e\nf\rg,h", ",", 1);
	expect_record(&r, 1, 2, (const char *const[]){"a", "b"});
	expect_record(&r, 2, 2, (const char *const[]){"q", "c"});
	expect_record(&r, 3, 2, (const char *const[]){"d", "e"});
	/* a lone CR is data, not a line end */
	expect_record(&r, 4, 2, (const char *const[]){"f\rg", "h"});
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, skips_a_utf8_byte_order_mark)
{
	csv_reader r;
	tmp_dir t;
	open_text(&r, &t, "\xEF\xBB\xBFmovieId,title\n", ",", 1);
	expect_record(&r, 1, 2, (const char *const[]){"movieId", "title"});
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, splits_on_a_multibyte_separator_without_quoting)
{
	csv_reader r;
	tmp_dir t;
	open_text(&r, &t, "1::Star Wars: A \"New\" Hope::Sci-Fi\n2::a:b:::c\n", "::", 0);
	expect_record(&r, 1, 3, (const char *const[]){"1", "Star Wars: A \"New\" Hope", "Sci-Fi"});
	expect_record(&r, 2, 3, (const char *const[]){"2", "a:b", ":c"});
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, returns_blank_lines_as_one_empty_field)
{
	csv_reader r;
	tmp_dir t;
	char err[128];
	open_text(&r, &t, "a\n\nb\n", ",", 1);
	expect_record(&r, 1, 1, (const char *const[]){"a"});
	cr_assert_eq(csv_next(&r, err, sizeof(err)), 1);
	cr_assert(csv_blank(&r), "line 2 should be blank");
	expect_record(&r, 3, 1, (const char *const[]){"b"});
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, flags_an_unterminated_quote_at_end_of_file)
{
	csv_reader r;
	tmp_dir t;
	char err[128];
	open_text(&r, &t, "ok,1\n\"open,2\nmore\n", ",", 1);
	expect_record(&r, 1, 2, (const char *const[]){"ok", "1"});
	cr_assert_eq(csv_next(&r, err, sizeof(err)), 1);
	cr_assert_eq(r.line, 2u);
	cr_assert(r.flags & CSV_F_UNTERMINATED, "expected CSV_F_UNTERMINATED, flags %u", r.flags);
	cr_assert_str_eq(csv_flag_reason(r.flags), "unterminated quoted field");
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, flags_misplaced_quotes_but_keeps_reading)
{
	csv_reader r;
	tmp_dir t;
	char err[128];
	open_text(&r, &t, "a\"b,c\n\"x\"y,z\nfine,1\n", ",", 1);
	cr_assert_eq(csv_next(&r, err, sizeof(err)), 1);
	cr_assert(r.flags & CSV_F_BAD_QUOTE, "quote inside an unquoted field: flags %u", r.flags);
	cr_assert_str_eq(r.fields[0].p, "a\"b");
	cr_assert_eq(csv_next(&r, err, sizeof(err)), 1);
	cr_assert(r.flags & CSV_F_BAD_QUOTE, "text after a closing quote: flags %u", r.flags);
	cr_assert_str_eq(r.fields[0].p, "xy");
	expect_record(&r, 3, 2, (const char *const[]){"fine", "1"});
	close_text(&r, &t);
}

Test(csv_reader, flags_an_oversized_record_and_reads_the_next_one)
{
	csv_reader r;
	tmp_dir t;
	char err[128];
	size_t big = CSV_MAX_RECORD_DEFAULT + 10;
	char *text = malloc(big + 32);
	cr_assert_not_null(text);
	strcpy(text, "a,b\n");
	memset(text + 4, 'x', big);
	strcpy(text + 4 + big, "\nc,d\n");
	open_text(&r, &t, text, ",", 1);
	free(text);
	expect_record(&r, 1, 2, (const char *const[]){"a", "b"});
	cr_assert_eq(csv_next(&r, err, sizeof(err)), 1);
	cr_assert(r.flags & CSV_F_TOO_LONG, "expected CSV_F_TOO_LONG, flags %u", r.flags);
	cr_assert_eq(r.n_fields, 0u, "an oversized record has no fields");
	cr_assert_eq(r.line, 2u);
	expect_record(&r, 3, 2, (const char *const[]){"c", "d"});
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, honours_a_smaller_max_record)
{
	csv_reader r;
	tmp_dir t;
	char err[128];
	open_text(&r, &t, "12345678,9\n1,2\n", ",", 1);
	r.max_record = 8;
	cr_assert_eq(csv_next(&r, err, sizeof(err)), 1);
	cr_assert(r.flags & CSV_F_TOO_LONG, "10-byte record over an 8-byte limit: flags %u", r.flags);
	expect_record(&r, 2, 2, (const char *const[]){"1", "2"});
	close_text(&r, &t);
}

Test(csv_reader, resync_resumes_on_the_line_after_a_bad_record_start)
{
	csv_reader r;
	tmp_dir t;
	char err[128];
	open_text(&r, &t, "1,\"stray\n2,ok\n3,\"x\"y\n4,ok\n", ",", 1);
	cr_assert_eq(csv_next(&r, err, sizeof(err)), 1);
	cr_assert_eq(r.line, 1u);
	cr_assert_eq(r.end_line, 3u, "the stray quote swallows lines 2-3: end %zu", r.end_line);
	cr_assert(r.flags & CSV_F_BAD_QUOTE);
	cr_assert_eq(csv_resync(&r, err, sizeof(err)), 0, "resync: %s", err);
	expect_record(&r, 2, 2, (const char *const[]){"2", "ok"});
	cr_assert_eq(csv_next(&r, err, sizeof(err)), 1);
	cr_assert_eq(r.line, 3u);
	cr_assert(r.flags & CSV_F_BAD_QUOTE);
	cr_assert_eq(csv_resync(&r, err, sizeof(err)), 0, "one-line record: resync is a no-op");
	expect_record(&r, 4, 2, (const char *const[]){"4", "ok"});
	expect_eof(&r);
	close_text(&r, &t);
}

Test(csv_reader, open_of_a_missing_file_names_it)
{
	csv_reader r;
	char err[256] = "";
	cr_assert_eq(csv_open(&r, "tests/fixtures/no/such.csv", ",", 1, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "tests/fixtures/no/such.csv: No such file or directory");
	csv_close(&r);
}

Test(csv_reader, number_parsers_accept_whole_decimal_fields_only)
{
	uint32_t u = 0;
	int64_t i = 0;
	double d = 0;
	cr_assert_eq(csv_parse_u32("4294967295", 10, &u), 0);
	cr_assert_eq(u, 4294967295u);
	cr_assert_eq(csv_parse_u32("4294967296", 10, &u), -1, "u32 overflow must fail");
	cr_assert_eq(csv_parse_u32("-1", 2, &u), -1);
	cr_assert_eq(csv_parse_u32(" 1", 2, &u), -1);
	cr_assert_eq(csv_parse_u32("", 0, &u), -1);
	cr_assert_eq(csv_parse_i64("-964982703", 10, &i), 0);
	cr_assert_eq(i, -964982703);
	cr_assert_eq(csv_parse_i64("12a", 3, &i), -1);
	cr_assert_eq(csv_parse_double("4.5", 3, &d), 0);
	cr_assert_float_eq(d, 4.5, 1e-12);
	cr_assert_eq(csv_parse_double("4.5x", 4, &d), -1);
	cr_assert_eq(csv_parse_double("nan", 3, &d), -1);
	cr_assert_eq(csv_parse_double("inf", 3, &d), -1);
	cr_assert_eq(csv_parse_double("0x10", 4, &d), -1);
	cr_assert_eq(csv_parse_double(".", 1, &d), -1);
}

/* ---- genres ---------------------------------------------------------------------------------- */

static int gname(const char *s)
{
	return genre_from_name(s, strlen(s));
}

Test(genres, map_movielens_and_tmdb_spellings_to_one_id)
{
	cr_assert_eq(gname("Children"), GENRE_CHILDREN);
	cr_assert_eq(gname("Children's"), GENRE_CHILDREN);
	cr_assert_eq(gname("Family"), GENRE_CHILDREN);
	cr_assert_eq(gname("Sci-Fi"), GENRE_SCI_FI);
	cr_assert_eq(gname("Science Fiction"), GENRE_SCI_FI);
	cr_assert_eq(gname("Musical"), GENRE_MUSICAL);
	cr_assert_eq(gname("Music"), GENRE_MUSICAL);
	cr_assert_eq(gname("Film-Noir"), GENRE_FILM_NOIR);
	cr_assert_eq(gname("IMAX"), GENRE_IMAX);
	cr_assert_eq(gname("History"), GENRE_HISTORY);
	cr_assert_eq(gname("TV Movie"), GENRE_TV_MOVIE);
	cr_assert_eq(gname("Foreign"), GENRE_FOREIGN);
	cr_assert_eq(gname("Western"), GENRE_WESTERN);
}

Test(genres, unknown_names_give_minus_one)
{
	cr_assert_eq(gname("(no genres listed)"), -1);
	cr_assert_eq(gname("unknown"), -1);
	cr_assert_eq(gname("drama"), -1, "matching is case-sensitive");
	cr_assert_eq(gname("Carousel Productions"), -1);
	cr_assert_eq(gname(""), -1);
	cr_assert_eq(genre_from_name(NULL, 0), -1);
	cr_assert_eq(genre_from_name("Dramatic", 5), GENRE_DRAMA, "length bounds the name");
}

Test(genres, names_round_trip_and_out_of_range_is_null)
{
	for (int g = 0; g < GENRE_COUNT; g++) {
		const char *n = genre_name(g);
		cr_assert_not_null(n, "genre %d has no name", g);
		cr_assert_eq(gname(n), g, "genre_from_name(genre_name(%d)=\"%s\")", g, n);
	}
	cr_assert_str_eq(genre_name(GENRE_SCI_FI), "Sci-Fi");
	cr_assert_str_eq(genre_name(GENRE_CHILDREN), "Children");
	cr_assert_null(genre_name(-1));
	cr_assert_null(genre_name(GENRE_COUNT));
}

/* ---- ml-latest CSV --------------------------------------------------------------------------- */

Test(movielens_latest, ratings_are_sorted_by_user_then_time_then_movie)
{
	ml_dataset ds;
	load_ok(ML_FIX "/latest", &ds);
	cr_assert_eq(ds.format, ML_FORMAT_LATEST_CSV);
	cr_assert_str_eq(ml_format_name(ds.format), "ml-latest-csv");
	cr_assert_eq(ds.n_ratings, 7u, "expected 7 ratings, got %zu", ds.n_ratings);
	cr_assert_eq(ds.n_users, 3u, "expected 3 users, got %u", ds.n_users);
	expect_rating(&ds, 0, 1, 2, 0.5f, 1500);
	expect_rating(&ds, 1, 1, 1, 4.0f, 2000);
	expect_rating(&ds, 2, 1, 3, 4.0f, 2000);
	expect_rating(&ds, 3, 2, 1, 5.0f, 900);
	expect_rating(&ds, 4, 2, 10, 3.5f, 1000);
	expect_rating(&ds, 5, 3, 99, 1.0f, 50);
	expect_rating(&ds, 6, 3, 2, 2.5f, 100);
	ml_free(&ds);
}

Test(movielens_latest, movies_are_sorted_with_quoted_titles_and_genre_bits)
{
	ml_dataset ds;
	load_ok(ML_FIX "/latest", &ds);
	cr_assert_eq(ds.n_movies, 5u, "expected 5 movies, got %zu", ds.n_movies);
	for (size_t i = 1; i < ds.n_movies; i++)
		cr_assert_lt(ds.movies[i - 1].id, ds.movies[i].id, "movies not sorted at %zu", i);
	cr_assert_str_eq(movie(&ds, 1)->title, "Toy Story (1995)");
	cr_assert_eq(movie(&ds, 1)->genres,
		     G(ADVENTURE) | G(ANIMATION) | G(CHILDREN) | G(COMEDY) | G(FANTASY),
		     "Toy Story genres: got %#x", movie(&ds, 1)->genres);
	cr_assert_str_eq(movie(&ds, 10)->title, "American President, The (1995)");
	cr_assert_eq(movie(&ds, 10)->genres, G(COMEDY) | G(DRAMA) | G(ROMANCE));
	cr_assert_str_eq(movie(&ds, 2)->title, "Sci-fi \"Quote\" Test, The (2001)");
	cr_assert_eq(movie(&ds, 2)->genres, G(SCI_FI) | G(IMAX) | G(FILM_NOIR));
	cr_assert_str_eq(movie(&ds, 3)->title, "Multi\nLine (1999)");
	cr_assert_eq(movie(&ds, 3)->genres, 0u, "(no genres listed) means none, got %#x",
		     movie(&ds, 3)->genres);
	cr_assert_eq(movie(&ds, 5)->genres, G(DRAMA), "an unknown genre name is ignored");
	cr_assert_null(ml_find_movie(&ds, 99), "rated movie 99 is not in movies.csv");
	cr_assert_null(ml_find_movie(&ds, 4));
	ml_free(&ds);
}

Test(movielens_latest, links_set_tmdb_ids_and_empty_or_absent_is_minus_one)
{
	ml_dataset ds;
	load_ok(ML_FIX "/latest", &ds);
	cr_assert_eq(movie(&ds, 1)->tmdb_id, 862, "got %lld", (long long)movie(&ds, 1)->tmdb_id);
	cr_assert_eq(movie(&ds, 10)->tmdb_id, 9087);
	cr_assert_eq(movie(&ds, 3)->tmdb_id, 300);
	cr_assert_eq(movie(&ds, 2)->tmdb_id, -1, "empty tmdbId: got %lld",
		     (long long)movie(&ds, 2)->tmdb_id);
	cr_assert_eq(movie(&ds, 5)->tmdb_id, -1, "movie without a link row");
	ml_free(&ds);
}

Test(movielens_latest, crlf_files_load_like_lf_files)
{
	ml_dataset a, b;
	load_ok(ML_FIX "/latest", &a);
	load_ok(ML_FIX "/latest_crlf", &b);
	cr_assert_eq(b.n_ratings, a.n_ratings);
	cr_assert_eq(b.n_movies, a.n_movies);
	cr_assert_eq(b.n_users, a.n_users);
	for (size_t i = 0; i < a.n_ratings; i++)
		expect_rating(&b, i, a.ratings[i].user, a.ratings[i].movie, a.ratings[i].rating,
			      a.ratings[i].timestamp);
	for (size_t i = 0; i < a.n_movies; i++) {
		cr_assert_eq(b.movies[i].id, a.movies[i].id);
		cr_assert_eq(b.movies[i].genres, a.movies[i].genres, "movie %u", a.movies[i].id);
		cr_assert_eq(b.movies[i].tmdb_id, a.movies[i].tmdb_id, "movie %u", a.movies[i].id);
		cr_assert_null(strchr(b.movies[i].title, '\r'), "CR left in title \"%s\"",
			       b.movies[i].title);
	}
	cr_assert_str_eq(movie(&b, 10)->title, "American President, The (1995)");
	cr_assert_str_eq(movie(&b, 5)->title, "Unknown Genre (2000)");
	ml_free(&a);
	ml_free(&b);
}

Test(movielens_latest, dir_with_a_trailing_slash_loads)
{
	ml_dataset ds;
	load_ok(ML_FIX "/latest/", &ds);
	cr_assert_eq(ds.n_ratings, 7u);
	ml_free(&ds);
}

/* ---- ml-100k / ml-1m ------------------------------------------------------------------------- */

Test(movielens_100k, loads_tab_ratings_and_pipe_items_with_latin1_titles)
{
	ml_dataset ds;
	load_ok(ML_FIX "/100k", &ds);
	cr_assert_eq(ds.format, ML_FORMAT_100K);
	cr_assert_str_eq(ml_format_name(ds.format), "ml-100k");
	cr_assert_eq(ds.n_ratings, 5u);
	cr_assert_eq(ds.n_users, 3u, "users 22, 186 and 196: got %u", ds.n_users);
	expect_rating(&ds, 0, 22, 1000, 4.0f, 878887000);
	expect_rating(&ds, 1, 22, 377, 1.0f, 878887116);
	expect_rating(&ds, 2, 186, 302, 3.0f, 891717742);
	expect_rating(&ds, 3, 196, 1, 5.0f, 881250900);
	expect_rating(&ds, 4, 196, 242, 3.0f, 881250949);
	cr_assert_eq(ds.n_movies, 6u);
	cr_assert_str_eq(movie(&ds, 1)->title, "Toy Story (1995)");
	cr_assert_eq(movie(&ds, 1)->genres, G(ANIMATION) | G(CHILDREN) | G(COMEDY),
		     "Toy Story flags: got %#x", movie(&ds, 1)->genres);
	cr_assert_eq(movie(&ds, 302)->genres, G(CRIME) | G(FILM_NOIR) | G(MYSTERY) | G(THRILLER));
	cr_assert_eq(movie(&ds, 267)->genres, 0u, "the 'unknown' flag has no genre bit");
	cr_assert_eq(movie(&ds, 1001)->genres, G(WESTERN) | G(WAR) | G(MUSICAL) | G(SCI_FI) | G(HORROR));
	cr_assert_str_eq(movie(&ds, 1000)->title, "Mis\xe9rables, Les (1995)", "Latin-1 bytes kept");
	cr_assert_str_eq(movie(&ds, 1001)->title, "\"Quoted\" Title (1990)", "no CSV quoting in u.item");
	cr_assert_eq(movie(&ds, 1)->tmdb_id, -1);
	ml_free(&ds);
}

Test(movielens_1m, loads_double_colon_files)
{
	ml_dataset ds;
	load_ok(ML_FIX "/1m", &ds);
	cr_assert_eq(ds.format, ML_FORMAT_1M);
	cr_assert_str_eq(ml_format_name(ds.format), "ml-1m");
	cr_assert_eq(ds.n_ratings, 4u);
	cr_assert_eq(ds.n_users, 2u);
	expect_rating(&ds, 0, 1, 1193, 5.0f, 978300760);
	expect_rating(&ds, 1, 1, 661, 3.0f, 978302109);
	expect_rating(&ds, 2, 2, 260, 4.0f, 978298000);
	expect_rating(&ds, 3, 2, 1357, 5.0f, 978298709);
	cr_assert_eq(ds.n_movies, 6u);
	cr_assert_eq(movie(&ds, 1)->genres, G(ANIMATION) | G(CHILDREN) | G(COMEDY));
	cr_assert_eq(movie(&ds, 661)->genres, G(ANIMATION) | G(CHILDREN) | G(MUSICAL));
	cr_assert_str_eq(movie(&ds, 260)->title, "Star Wars: Episode IV - A New Hope (1977)");
	cr_assert_eq(movie(&ds, 260)->genres, G(ACTION) | G(ADVENTURE) | G(FANTASY) | G(SCI_FI));
	cr_assert_str_eq(movie(&ds, 2000)->title, "Caf\xe9 au Lait (1993)");
	ml_free(&ds);
}

/* ---- failures -------------------------------------------------------------------------------- */

Test(movielens_errors, missing_field_names_file_and_line)
{
	load_fail(ML_FIX "/bad_missing_field",
		  ML_FIX "/bad_missing_field/ratings.csv:3: expected 4 fields, got 3 (missing fields)");
}

Test(movielens_errors, extra_field_names_file_and_line)
{
	load_fail(ML_FIX "/bad_extra_field",
		  ML_FIX "/bad_extra_field/ratings.csv:3: expected 4 fields, got 5 (extra fields)");
}

Test(movielens_errors, non_numeric_rating)
{
	load_fail(ML_FIX "/bad_rating_abc",
		  ML_FIX "/bad_rating_abc/ratings.csv:3: rating 'abc' is not a number");
}

Test(movielens_errors, rating_above_five_stars)
{
	load_fail(ML_FIX "/bad_rating_range",
		  ML_FIX "/bad_rating_range/ratings.csv:2: rating 7.0 is not in 0.5..5 in half-star steps");
}

Test(movielens_errors, rating_of_zero_stars)
{
	load_fail(ML_FIX "/bad_rating_zero",
		  ML_FIX "/bad_rating_zero/ratings.csv:2: rating 0.0 is not in 0.5..5 in half-star steps");
}

Test(movielens_errors, rating_between_half_stars)
{
	load_fail(ML_FIX "/bad_rating_step",
		  ML_FIX "/bad_rating_step/ratings.csv:3: rating 3.3 is not in 0.5..5 in half-star steps");
}

Test(movielens_errors, non_numeric_user_id)
{
	load_fail(ML_FIX "/bad_user_id",
		  ML_FIX "/bad_user_id/ratings.csv:3: userId 'u7' is not a valid id");
}

Test(movielens_errors, non_integer_timestamp)
{
	load_fail(ML_FIX "/bad_timestamp",
		  ML_FIX "/bad_timestamp/ratings.csv:2: timestamp '2001-01-01' is not an integer");
}

Test(movielens_errors, missing_header)
{
	load_fail(ML_FIX "/bad_header",
		  ML_FIX "/bad_header/ratings.csv:1: header lacks column 'userId' "
			 "(expected userId,movieId,rating,timestamp)");
}

Test(movielens_errors, empty_ratings_file)
{
	load_fail(ML_FIX "/empty_ratings",
		  ML_FIX "/empty_ratings/ratings.csv:1: empty file "
			 "(expected the header userId,movieId,rating,timestamp)");
}

Test(movielens_errors, header_only_ratings_file)
{
	load_fail(ML_FIX "/header_only", ML_FIX "/header_only/ratings.csv:2: no ratings after the header");
}

Test(movielens_errors, no_ratings_file_in_dir)
{
	load_fail(ML_FIX "/no_ratings_file",
		  ML_FIX "/no_ratings_file: no MovieLens ratings file found "
			 "(expected ratings.csv, u.data or ratings.dat)");
}

Test(movielens_errors, missing_dir)
{
	load_fail(ML_FIX "/does_not_exist", ML_FIX "/does_not_exist: No such file or directory");
}

Test(movielens_errors, missing_movies_file)
{
	load_fail(ML_FIX "/no_movies_file",
		  ML_FIX "/no_movies_file/movies.csv: No such file or directory");
}

Test(movielens_errors, unterminated_quote_in_movies)
{
	load_fail(ML_FIX "/bad_unterminated_quote",
		  ML_FIX "/bad_unterminated_quote/movies.csv:3: unterminated quoted field");
}

Test(movielens_errors, text_after_a_closing_quote)
{
	load_fail(ML_FIX "/bad_quote", ML_FIX "/bad_quote/movies.csv:3: misplaced quote");
}

Test(movielens_errors, duplicate_movie_id)
{
	load_fail(ML_FIX "/dup_movie",
		  ML_FIX "/dup_movie/movies.csv:4: movie id 1 listed again (first on line 2)");
}

Test(movielens_errors, bad_tmdb_id_in_links)
{
	load_fail(ML_FIX "/bad_links", ML_FIX "/bad_links/links.csv:3: tmdbId 'x8844' is not a valid id");
}

Test(movielens_errors, ml100k_genre_flag_not_0_or_1)
{
	load_fail(ML_FIX "/bad_100k_flag", ML_FIX "/bad_100k_flag/u.item:1: genre flag '2' is not 0 or 1");
}

Test(movielens_errors, ml100k_short_line)
{
	load_fail(ML_FIX "/bad_100k_fields",
		  ML_FIX "/bad_100k_fields/u.data:2: expected 4 fields, got 3 (missing fields)");
}

Test(movielens_errors, ml1m_short_line)
{
	load_fail(ML_FIX "/bad_1m_field",
		  ML_FIX "/bad_1m_field/ratings.dat:2: expected 4 fields, got 3 (missing fields)");
}

Test(movielens_errors, huge_line_is_a_clear_error)
{
	tmp_dir t;
	static const char *const names[] = {"ratings.csv", "movies.csv"};
	char want[256];
	size_t big = CSV_MAX_RECORD_DEFAULT + 100;
	char *text = malloc(big + 128);
	cr_assert_not_null(text);
	int n = snprintf(text, 128, "userId,movieId,rating,timestamp\n1,1,4.0,100\n1,2,3.0,");
	memset(text + n, '7', big);
	text[n + big] = '\n';
	tmp_make(&t);
	tmp_write(&t, "ratings.csv", text, (size_t)n + big + 1);
	free(text);
	const char *movies = "movieId,title,genres\n1,A,Drama\n";
	tmp_write(&t, "movies.csv", movies, strlen(movies));
	snprintf(want, sizeof(want), "%s/ratings.csv:3: record longer than %zu bytes", t.dir,
		 (size_t)CSV_MAX_RECORD_DEFAULT);
	load_fail(t.dir, want);
	tmp_remove(&t, names, 2);
}

Test(movielens_errors, null_arguments_fail_cleanly)
{
	ml_dataset ds;
	char err[128] = "";
	cr_assert_eq(ml_load(NULL, &ds, err, sizeof(err)), -1);
	cr_assert_null(ds.ratings);
	cr_assert_eq(ml_load(ML_FIX "/latest", NULL, err, sizeof(err)), -1);
	cr_assert_eq(ml_load(ML_FIX "/bad_rating_abc", &ds, NULL, 0), -1, "no err buffer");
}

Test(movielens_api, free_is_safe_on_a_zeroed_or_freed_dataset)
{
	ml_dataset ds;
	memset(&ds, 0, sizeof(ds));
	ml_free(&ds);
	ml_free(NULL);
	load_ok(ML_FIX "/latest", &ds);
	ml_free(&ds);
	cr_assert_null(ds.ratings);
	cr_assert_null(ds.movies);
	cr_assert_eq(ds.n_movies, 0u);
	ml_free(&ds);
	cr_assert_null(ml_find_movie(&ds, 1), "find on an empty dataset");
	cr_assert_null(ml_find_movie(NULL, 1));
}

/* ---- the real ml-latest-small ---------------------------------------------------------------- */

#define ML_SMALL SHARED_DATA "/ml-latest-small"

Test(movielens_real, ml_latest_small_counts_and_known_values)
{
	if (access(ML_SMALL "/ratings.csv", R_OK) != 0)
		cr_skip_test("%s not present", ML_SMALL);
	ml_dataset ds;
	load_ok(ML_SMALL, &ds);
	cr_assert_eq(ds.format, ML_FORMAT_LATEST_CSV);
	cr_assert_eq(ds.n_ratings, 100836u, "ratings: got %zu", ds.n_ratings);
	cr_assert_eq(ds.n_users, 610u, "users: got %u", ds.n_users);
	cr_assert_eq(ds.n_movies, 9742u, "movies: got %zu", ds.n_movies);

	size_t rated = 0, no_tmdb = 0;
	char *seen = calloc(ds.movies[ds.n_movies - 1].id + 1, 1);
	cr_assert_not_null(seen);
	for (size_t i = 0; i < ds.n_ratings; i++) {
		const ml_rating *r = &ds.ratings[i];
		if (i > 0) {
			const ml_rating *p = &ds.ratings[i - 1];
			cr_assert(p->user < r->user || (p->user == r->user && (p->timestamp < r->timestamp ||
				  (p->timestamp == r->timestamp && p->movie <= r->movie))),
				  "ratings out of order at %zu", i);
		}
		cr_assert(r->rating >= 0.5f && r->rating <= 5.0f, "rating %zu = %f", i, (double)r->rating);
		if (r->movie < ds.movies[ds.n_movies - 1].id + 1 && !seen[r->movie]) {
			seen[r->movie] = 1;
			rated++;
		}
	}
	free(seen);
	cr_assert_eq(rated, 9724u, "distinct rated movies: got %zu", rated);
	for (size_t i = 0; i < ds.n_movies; i++)
		no_tmdb += ds.movies[i].tmdb_id < 0;
	cr_assert_eq(no_tmdb, 8u, "movies with an empty tmdbId: got %zu", no_tmdb);

	const ml_movie *toy = movie(&ds, 1);
	cr_assert_str_eq(toy->title, "Toy Story (1995)");
	cr_assert_eq(toy->genres, G(ADVENTURE) | G(ANIMATION) | G(CHILDREN) | G(COMEDY) | G(FANTASY),
		     "got %#x", toy->genres);
	cr_assert_eq(toy->tmdb_id, 862);
	cr_assert_str_eq(movie(&ds, 11)->title, "American President, The (1995)");
	expect_rating(&ds, 0, 1, 804, 4.0f, 964980499);
	ml_free(&ds);
}
