/* SPDX-License-Identifier: MIT */
/* dataset_csv.h - streaming RFC 4180 record reader shared by the MovieLens and TMDB loaders.
 *
 * Reads one record at a time from a file: fields split on a separator of 1..3 bytes ("," "\t"
 * "|" "::"), optional double-quote quoting (quoted fields may hold separators, doubled quotes and
 * line breaks), CRLF or LF line ends, a UTF-8 byte order mark at the start skipped. Bytes are
 * otherwise opaque (Latin-1 titles pass through unchanged). Each record reports the line it starts
 * on. A record longer than max_record bytes is not stored: the reader reads past it and returns it
 * flagged CSV_F_TOO_LONG with no fields, so a caller may either fail or skip it.
 *
 * Quoting problems never stop the reader; they are flagged on the record and the caller decides:
 *   CSV_F_BAD_QUOTE    a quote inside an unquoted field, or a closing quote followed by something
 *                      other than a separator or line end (kept as text, like Python's csv);
 *   CSV_F_UNTERMINATED a quoted field still open at end of file (the record runs to EOF).
 * A caller that skips a bad record spanning several lines can csv_resync() to re-read the file
 * from the line after the record's first line, so one stray quote costs one line, not many rows.
 */
#ifndef WNNREC_DATASET_CSV_H
#define WNNREC_DATASET_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CSV_MAX_RECORD_DEFAULT ((size_t)1 << 20) /* 1 MiB */

enum csv_flags {
	CSV_F_BAD_QUOTE = 1u << 0,
	CSV_F_UNTERMINATED = 1u << 1,
	CSV_F_TOO_LONG = 1u << 2,
};

typedef struct csv_field {
	const char *p; /* NUL-terminated, quotes removed; valid until the next csv_next/csv_resync */
	size_t len;
} csv_field;

typedef struct csv_reader {
	/* settings (csv_open sets the defaults; max_record may be changed before the first read) */
	const char *path;     /* not copied: must outlive the reader */
	char sep[4];
	size_t sep_len;
	int quoting;          /* 1: '"' quotes fields; 0: '"' is an ordinary byte */
	size_t max_record;    /* raw bytes of one record, line end excluded */

	/* current record */
	csv_field *fields;
	size_t n_fields;
	size_t line;          /* line the record starts on (1-based) */
	size_t end_line;      /* line the record ends on */
	unsigned flags;       /* enum csv_flags */

	/* internals */
	FILE *fp;
	char *in;
	size_t in_len, in_pos, in_cap;
	long long in_off;     /* file offset of in[0] */
	int in_eof;
	char *rec;
	size_t rec_len, rec_cap;
	size_t *fstart, *flen;
	size_t fcap;
	size_t next_line;     /* line of the next unread byte */
	long long rec_off;         /* file offset of the current record's first byte */
	long long rec_nl_off;      /* file offset of the first '\n' inside it, -1 if none */
	int started;
} csv_reader;

/* Opens path for reading. sep: "," "\t" "|" "::" (1..3 bytes); quoting: 1 to honour '"'.
 * Returns 0, or -1 with "path: reason" in err (the reader is then closed). */
int csv_open(csv_reader *r, const char *path, const char *sep, int quoting, char *err,
	     size_t errlen);

/* Reads the next record into r->fields / r->n_fields / r->line / r->flags. Blank lines are
 * returned as a record of one empty field. Returns 1 for a record, 0 at end of file, -1 on a read
 * error with "path:line: reason" in err. */
int csv_next(csv_reader *r, char *err, size_t errlen);

/* Drops the current record and continues reading at the line after the line it started on.
 * Returns 0, or -1 with a message if the file cannot be repositioned (e.g. a pipe). */
int csv_resync(csv_reader *r, char *err, size_t errlen);

/* A short reason for the first flag set in flags ("unterminated quoted field", ...), or NULL. */
const char *csv_flag_reason(unsigned flags);

/* True when the current record is one empty field (a blank line). */
int csv_blank(const csv_reader *r);

void csv_close(csv_reader *r);

/* Strict parsers over a whole field (no spaces, no trailing text, decimal only). Return 0 or -1. */
int csv_parse_u32(const char *s, size_t len, uint32_t *out);
int csv_parse_i64(const char *s, size_t len, int64_t *out); /* optional leading '-' */
int csv_parse_double(const char *s, size_t len, double *out);

#endif
