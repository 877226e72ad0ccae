/* SPDX-License-Identifier: MIT */
/* dataset_csv.c - streaming RFC 4180 record reader (see dataset_csv.h). */
#include "dataset_csv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define CSV_IN_CAP ((size_t)1 << 16)

static void set_err(char *err, size_t errlen, const char *fmt_path, size_t line, const char *what)
{
	if (!err || errlen == 0)
		return;
	if (line)
		snprintf(err, errlen, "%s:%zu: %s", fmt_path, line, what);
	else
		snprintf(err, errlen, "%s: %s", fmt_path, what);
}

int csv_open(csv_reader *r, const char *path, const char *sep, int quoting, char *err,
	     size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	size_t sl = sep ? strlen(sep) : 0;
	if (sl == 0 || sl >= sizeof(r->sep) || (quoting && strchr(sep, '"')) || strpbrk(sep, "\r\n")) {
		set_err(err, errlen, path, 0, "invalid field separator");
		return -1;
	}
	memcpy(r->sep, sep, sl + 1);
	r->sep_len = sl;
	r->quoting = quoting ? 1 : 0;
	r->max_record = CSV_MAX_RECORD_DEFAULT;
	r->next_line = 1;
	r->rec_nl_off = -1;
	r->fp = fopen(path, "rb");
	if (!r->fp) {
		set_err(err, errlen, path, 0, strerror(errno));
		return -1;
	}
	r->in_cap = CSV_IN_CAP;
	r->in = malloc(r->in_cap);
	r->fcap = 16;
	r->fstart = malloc(r->fcap * sizeof(*r->fstart));
	r->flen = malloc(r->fcap * sizeof(*r->flen));
	r->fields = malloc(r->fcap * sizeof(*r->fields));
	r->rec_cap = 256;
	r->rec = malloc(r->rec_cap);
	if (!r->in || !r->fstart || !r->flen || !r->fields || !r->rec) {
		csv_close(r);
		set_err(err, errlen, path, 0, "out of memory");
		return -1;
	}
	return 0;
}

void csv_close(csv_reader *r)
{
	if (!r)
		return;
	if (r->fp)
		fclose(r->fp);
	free(r->in);
	free(r->rec);
	free(r->fstart);
	free(r->flen);
	free(r->fields);
	const char *path = r->path;
	memset(r, 0, sizeof(*r));
	r->path = path;
}

/* Makes at least `need` unread bytes available unless the file ends first.
 * Returns the number available, or -1 on a read error. */
static long fill(csv_reader *r, size_t need)
{
	while (r->in_len - r->in_pos < need && !r->in_eof) {
		if (r->in_pos > 0) {
			size_t left = r->in_len - r->in_pos;
			memmove(r->in, r->in + r->in_pos, left);
			r->in_off += (long long)r->in_pos;
			r->in_len = left;
			r->in_pos = 0;
		}
		size_t n = fread(r->in + r->in_len, 1, r->in_cap - r->in_len, r->fp);
		r->in_len += n;
		if (n == 0) {
			if (ferror(r->fp))
				return -1;
			r->in_eof = 1;
		}
	}
	return (long)(r->in_len - r->in_pos);
}

static int rec_reserve(csv_reader *r, size_t extra)
{
	if (r->rec_len + extra <= r->rec_cap)
		return 0;
	size_t cap = r->rec_cap;
	while (cap < r->rec_len + extra)
		cap *= 2;
	char *p = realloc(r->rec, cap);
	if (!p)
		return -1;
	r->rec = p;
	r->rec_cap = cap;
	return 0;
}

static int field_reserve(csv_reader *r)
{
	if (r->n_fields < r->fcap)
		return 0;
	size_t cap = r->fcap * 2;
	size_t *a = realloc(r->fstart, cap * sizeof(*a));
	if (!a)
		return -1;
	r->fstart = a;
	size_t *b = realloc(r->flen, cap * sizeof(*b));
	if (!b)
		return -1;
	r->flen = b;
	csv_field *f = realloc(r->fields, cap * sizeof(*f));
	if (!f)
		return -1;
	r->fields = f;
	r->fcap = cap;
	return 0;
}

enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_AFTER_QUOTE };

int csv_next(csv_reader *r, char *err, size_t errlen)
{
	char msg[96];
	if (!r->fp) {
		set_err(err, errlen, r->path ? r->path : "(csv)", 0, "reader is not open");
		return -1;
	}
	long avail = fill(r, r->started ? 1 : 3);
	if (avail < 0)
		goto read_error;
	if (!r->started) {
		r->started = 1;
		if (avail >= 3 && memcmp(r->in + r->in_pos, "\xEF\xBB\xBF", 3) == 0)
			r->in_pos += 3;
		avail = (long)(r->in_len - r->in_pos);
	}
	r->n_fields = 0;
	r->flags = 0;
	if (avail == 0)
		return 0;

	r->line = r->next_line;
	r->rec_off = r->in_off + (long long)r->in_pos;
	r->rec_nl_off = -1;
	r->rec_len = 0;
	size_t raw = 0;
	int storing = 1;
	int state = ST_START;
	const char s0 = r->sep[0];
	const int q = r->quoting;
	size_t nfields = 0;
	r->fstart[0] = 0;

	for (;;) {
		if (r->in_pos == r->in_len) {
			avail = fill(r, 1);
			if (avail < 0)
				goto read_error;
			if (avail == 0) { /* end of file ends the record */
				if (state == ST_QUOTED)
					r->flags |= CSV_F_UNTERMINATED;
				r->end_line = r->next_line;
				break;
			}
		}
		char c = r->in[r->in_pos];
		if (state != ST_QUOTED) {
			if (c == '\n') {
				r->in_pos++;
				r->end_line = r->next_line++;
				break;
			}
			if (c == '\r') {
				if (fill(r, 2) < 0)
					goto read_error;
				if (r->in_len - r->in_pos >= 2 && r->in[r->in_pos + 1] == '\n') {
					r->in_pos += 2;
					r->end_line = r->next_line++;
					break;
				}
			}
			if (c == s0) {
				int is_sep = 1;
				if (r->sep_len > 1) {
					if (fill(r, r->sep_len) < 0)
						goto read_error;
					is_sep = r->in_len - r->in_pos >= r->sep_len &&
						 memcmp(r->in + r->in_pos, r->sep, r->sep_len) == 0;
				}
				if (is_sep) {
					r->in_pos += r->sep_len;
					raw += r->sep_len;
					if (raw > r->max_record)
						storing = 0;
					if (storing) {
						if (rec_reserve(r, 1) < 0 || field_reserve(r) < 0)
							goto oom;
						r->flen[nfields] = r->rec_len - r->fstart[nfields];
						r->rec[r->rec_len++] = '\0';
						nfields++;
						r->n_fields = nfields;
						if (field_reserve(r) < 0)
							goto oom;
						r->fstart[nfields] = r->rec_len;
					}
					state = ST_START;
					continue;
				}
			}
		}
		switch (state) {
		case ST_START:
			if (q && c == '"') {
				r->in_pos++;
				raw++;
				state = ST_QUOTED;
				break;
			}
			state = ST_UNQUOTED;
			/* fall through */
		case ST_UNQUOTED:
		case ST_AFTER_QUOTE:
			if (state == ST_AFTER_QUOTE) {
				r->flags |= CSV_F_BAD_QUOTE;
				state = ST_UNQUOTED;
			}
			if (q && c == '"')
				r->flags |= CSV_F_BAD_QUOTE;
			{
				/* copy a run of ordinary bytes at once */
				size_t i = r->in_pos + 1;
				while (i < r->in_len) {
					char d = r->in[i];
					if (d == '\n' || d == '\r' || d == s0 || (q && d == '"'))
						break;
					i++;
				}
				size_t n = i - r->in_pos;
				raw += n;
				if (raw > r->max_record)
					storing = 0;
				if (storing) {
					if (rec_reserve(r, n + 1) < 0)
						goto oom;
					memcpy(r->rec + r->rec_len, r->in + r->in_pos, n);
					r->rec_len += n;
				}
				r->in_pos = i;
			}
			break;
		case ST_QUOTED:
			if (c == '"') {
				if (fill(r, 2) < 0)
					goto read_error;
				if (r->in_len - r->in_pos >= 2 && r->in[r->in_pos + 1] == '"') {
					r->in_pos += 2;
					raw += 2;
					if (raw > r->max_record)
						storing = 0;
					if (storing) {
						if (rec_reserve(r, 2) < 0)
							goto oom;
						r->rec[r->rec_len++] = '"';
					}
				} else {
					r->in_pos++;
					raw++;
					state = ST_AFTER_QUOTE;
				}
				break;
			}
			{
				size_t i = r->in_pos;
				while (i < r->in_len && r->in[i] != '"') {
					if (r->in[i] == '\n') {
						if (r->rec_nl_off < 0)
							r->rec_nl_off = r->in_off + (long long)i;
						r->next_line++;
					}
					i++;
				}
				size_t n = i - r->in_pos;
				raw += n;
				if (raw > r->max_record)
					storing = 0;
				if (storing) {
					if (rec_reserve(r, n + 1) < 0)
						goto oom;
					memcpy(r->rec + r->rec_len, r->in + r->in_pos, n);
					r->rec_len += n;
				}
				r->in_pos = i;
			}
			break;
		}
	}

	if (raw > r->max_record) {
		r->flags |= CSV_F_TOO_LONG;
		r->n_fields = 0;
		return 1;
	}
	/* close the last field */
	if (rec_reserve(r, 1) < 0 || field_reserve(r) < 0)
		goto oom;
	r->flen[nfields] = r->rec_len - r->fstart[nfields];
	r->rec[r->rec_len++] = '\0';
	nfields++;
	r->n_fields = nfields;
	for (size_t i = 0; i < nfields; i++) {
		r->fields[i].p = r->rec + r->fstart[i];
		r->fields[i].len = r->flen[i];
	}
	return 1;

read_error:
	snprintf(msg, sizeof(msg), "read error: %s", strerror(errno));
	set_err(err, errlen, r->path, r->next_line, msg);
	r->n_fields = 0;
	return -1;
oom:
	set_err(err, errlen, r->path, r->line, "out of memory");
	r->n_fields = 0;
	return -1;
}

int csv_resync(csv_reader *r, char *err, size_t errlen)
{
	r->n_fields = 0;
	if (r->rec_nl_off < 0)
		return 0; /* the record was one line: already past it */
	long long target = r->rec_nl_off + 1;
	if (target >= r->in_off && target <= r->in_off + (long long)r->in_len) {
		r->in_pos = (size_t)(target - r->in_off); /* still buffered */
	} else {
		if (fseeko(r->fp, (off_t)target, SEEK_SET) != 0) {
			char msg[96];
			snprintf(msg, sizeof(msg), "cannot skip a malformed record: %s", strerror(errno));
			set_err(err, errlen, r->path, r->line, msg);
			return -1;
		}
		clearerr(r->fp);
		r->in_off = target;
		r->in_len = r->in_pos = 0;
		r->in_eof = 0;
	}
	r->next_line = r->line + 1;
	r->rec_nl_off = -1;
	return 0;
}

const char *csv_flag_reason(unsigned flags)
{
	if (flags & CSV_F_TOO_LONG)
		return "record too long";
	if (flags & CSV_F_UNTERMINATED)
		return "unterminated quoted field";
	if (flags & CSV_F_BAD_QUOTE)
		return "misplaced quote";
	return NULL;
}

int csv_blank(const csv_reader *r)
{
	return r->n_fields == 1 && r->fields[0].len == 0 && r->flags == 0;
}

int csv_parse_u32(const char *s, size_t len, uint32_t *out)
{
	if (len == 0 || len > 10)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int csv_parse_i64(const char *s, size_t len, int64_t *out)
{
	int neg = 0;
	if (len > 0 && s[0] == '-') {
		neg = 1;
		s++;
		len--;
	}
	if (len == 0 || len > 19)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int csv_parse_double(const char *s, size_t len, double *out)
{
	char buf[64];
	int digits = 0;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			digits = 1;
		else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E')
			return -1;
	}
	if (!digits)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end = NULL;
	errno = 0;
	double v = strtod(buf, &end);
	if (end != buf + len || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}
