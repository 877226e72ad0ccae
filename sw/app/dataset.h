/* SPDX-License-Identifier: MIT */
/* dataset.h - MovieLens ratings/movies and TMDB movie metadata, loaded from the files users have. */
#ifndef WNNREC_DATASET_H
#define WNNREC_DATASET_H

#include <stddef.h>
#include <stdint.h>

/* One genre vocabulary for MovieLens and TMDB names (both spellings map to one id). */
enum genre_id {
	GENRE_ACTION, GENRE_ADVENTURE, GENRE_ANIMATION, GENRE_CHILDREN, GENRE_COMEDY, GENRE_CRIME,
	GENRE_DOCUMENTARY, GENRE_DRAMA, GENRE_FANTASY, GENRE_FILM_NOIR, GENRE_HORROR, GENRE_IMAX,
	GENRE_MUSICAL, GENRE_MYSTERY, GENRE_ROMANCE, GENRE_SCI_FI, GENRE_THRILLER, GENRE_WAR,
	GENRE_WESTERN, GENRE_HISTORY, GENRE_TV_MOVIE, GENRE_FOREIGN,
	GENRE_COUNT
};
/* Maps a genre name ("Sci-Fi", "Science Fiction", "Children", "Family", "Music", ...) to its id;
 * -1 if unknown (e.g. "(no genres listed)"). Case-sensitive on the published spellings. */
int genre_from_name(const char *name, size_t len);
const char *genre_name(int id);

typedef struct ml_rating {
	uint32_t user;
	uint32_t movie;
	float rating;      /* stars, 0.5..5.0 */
	int64_t timestamp; /* seconds since 1970 */
} ml_rating;

typedef struct ml_movie {
	uint32_t id;
	char *title;     /* owned by the dataset */
	uint32_t genres; /* bit g set for enum genre_id g */
	int64_t tmdb_id; /* from links.csv; -1 if absent or empty */
} ml_movie;

typedef enum ml_format { ML_FORMAT_LATEST_CSV, ML_FORMAT_100K, ML_FORMAT_1M } ml_format;

typedef struct ml_dataset {
	ml_format format;
	ml_rating *ratings; /* sorted by user, then timestamp, then movie */
	size_t n_ratings;
	ml_movie *movies;   /* sorted by id */
	size_t n_movies;
	uint32_t n_users;   /* distinct users */
} ml_dataset;

/* Loads the MovieLens directory dir, detecting its layout: ratings.csv+movies.csv(+links.csv)
 * (ml-latest, ml-latest-small, ml-25m...), u.data+u.item (ml-100k), ratings.dat+movies.dat (ml-1m).
 * Returns 0, or -1 with "file:line: reason" in err. On failure *out is left empty. */
int ml_load(const char *dir, ml_dataset *out, char *err, size_t errlen);
void ml_free(ml_dataset *ds);
const ml_movie *ml_find_movie(const ml_dataset *ds, uint32_t movie_id);
const char *ml_format_name(ml_format f);

typedef struct tmdb_movie {
	int64_t id;           /* TMDB id */
	uint32_t genres;      /* enum genre_id bits */
	char lang[8];         /* original_language, e.g. "en"; "" if empty */
	double vote_average;  /* 0..10; -1 if empty */
	int64_t vote_count;   /* -1 if empty */
} tmdb_movie;

typedef struct tmdb_meta {
	tmdb_movie *movies;   /* sorted by id; duplicate ids keep the first row */
	size_t n_movies;
	size_t n_rows;        /* data rows read */
	size_t n_malformed;   /* rows skipped: wrong field count, non-numeric id, ... */
	size_t n_duplicates;  /* rows skipped: id seen before */
	size_t first_malformed_line; /* line of the first skipped row, 0 if none */
} tmdb_meta;

/* Loads Kaggle "The Movies Dataset" movies_metadata.csv as published (24 columns found by header
 * name, RFC 4180 quoting with embedded newlines, python-literal genre lists). A few malformed rows
 * are normal in it: they are skipped and counted. A file whose header lacks the needed columns,
 * or with no usable row, fails with "file:line: reason" in err. */
int tmdb_load(const char *path, tmdb_meta *out, char *err, size_t errlen);
void tmdb_free(tmdb_meta *meta);
const tmdb_movie *tmdb_find(const tmdb_meta *meta, int64_t id);

#endif
