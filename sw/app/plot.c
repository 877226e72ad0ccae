/* SPDX-License-Identifier: MIT */
/* plot.c - a small dependency-free SVG line chart (see plot.h).
 *
 * Layout: 720 x 440, title on top, plot area with a light grid, y axis on the left, x axis below,
 * legend in a column on the right (names longer than fit are shortened there; the full name is the
 * series' <title> tooltip). Linear axes get 1-2-5 ticks; a log x axis gets a tick at each distinct
 * data x (or at 1-2-5 x 10^k when there are too many). The y range is padded by 5% and clamped to
 * [0, 1] when the data lie in [0, 1] (accuracies), to >= 0 when the data are non-negative.
 * The file is written to a temporary file in the same directory and renamed over path.
 * Numbers go through printf, so the process must keep the C numeric locale (the default).
 */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLOT_W 720.0
#define PLOT_H 440.0
#define PLOT_TOP 48.0
#define PLOT_BOTTOM 56.0 /* below the plot area: tick labels and x label */
#define PLOT_LEFT 72.0
#define LEGEND_MAX_CHARS 26
#define CHAR_W 6.6       /* rough advance of a 12px sans-serif character */
#define MAX_TICKS 64
#define LOG_DATA_TICKS 12 /* at most this many distinct x values get their own tick on a log axis */

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a",
};
#define PALETTE_N (sizeof palette / sizeof palette[0])

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes there are not valid UTF-8. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t len;
	uint32_t cp;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80) /* also stops at the terminating NUL */
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min_cp[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
	    cp == 0xffff)
		return 0;
	return len;
}

/* Number of characters (code points, invalid bytes counting one each) in s. */
static size_t text_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; n++) {
		size_t l = utf8_len(u);
		u += l ? l : 1;
	}
	return n;
}

/* Writes s as XML character data / attribute text: & < > " ' escaped, control characters as
 * spaces, invalid UTF-8 bytes as U+FFFD. At most max_chars characters; a longer text is cut to
 * max_chars - 1 and an ellipsis appended (max_chars 0: no limit). */
static void put_text(FILE *f, const char *s, size_t max_chars)
{
	if (!s)
		return;
	size_t limit = 0;
	if (max_chars > 0 && text_chars(s) > max_chars)
		limit = max_chars - 1;
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; n++) {
		if (limit && n == limit) {
			fputs("&#8230;", f);
			return;
		}
		size_t l = utf8_len(u);
		if (l == 0) {
			fputs("&#65533;", f);
			u++;
			continue;
		}
		if (l > 1) {
			fwrite(u, 1, l, f);
			u += l;
			continue;
		}
		switch (*u) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*u < 0x20 ? ' ' : *u, f); break;
		}
		u++;
	}
}

/* 1, 2 or 5 x 10^k, about span/target. */
static double nice_step(double span, int target)
{
	double raw = span / target;
	double mag = pow(10.0, floor(log10(raw)));
	double norm = raw / mag;
	return (norm < 1.5 ? 1.0 : norm < 3.0 ? 2.0 : norm < 7.0 ? 5.0 : 10.0) * mag;
}

static int step_decimals(double step)
{
	int dec = (int)-floor(log10(step) + 1e-9);
	return dec < 0 ? 0 : dec > 10 ? 10 : dec;
}

typedef struct axis {
	double lo, hi; /* in axis units (log10 x for a log axis) */
	double ticks[MAX_TICKS]; /* in data units */
	int nticks;
	int decimals; /* for labels; -1: %g */
	int log;
} axis;

static double axis_pos(const axis *a, double v, double p0, double p1)
{
	double t = a->log ? log10(v) : v;
	return p0 + (t - a->lo) / (a->hi - a->lo) * (p1 - p0);
}

/* Ticks at the multiples of step within [lo, hi]. */
static void linear_ticks(axis *a, double lo, double hi, double step)
{
	a->decimals = step_decimals(step);
	a->nticks = 0;
	for (double k = ceil(lo / step - 1e-9); a->nticks < MAX_TICKS; k++) {
		double v = k * step;
		if (v > hi + step * 1e-9)
			break;
		a->ticks[a->nticks++] = fabs(v) < step * 1e-9 ? 0.0 : v;
	}
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return a < b ? -1 : a > b;
}

static void make_y_axis(axis *a, double ymin, double ymax)
{
	double lo, hi;
	if (ymax - ymin <= 1e-12 * fmax(1.0, fabs(ymax))) {
		double pad = fmax(fabs(ymax) * 0.1, 0.1);
		lo = ymin - pad;
		hi = ymax + pad;
	} else {
		double pad = 0.05 * (ymax - ymin);
		lo = ymin - pad;
		hi = ymax + pad;
	}
	if (ymin >= 0.0 && lo < 0.0)
		lo = 0.0;
	if (ymin >= 0.0 && ymax <= 1.0 && hi > 1.0)
		hi = 1.0;
	double step = nice_step(hi - lo, 6);
	lo = floor(lo / step + 1e-9) * step;
	hi = ceil(hi / step - 1e-9) * step;
	a->log = 0;
	a->lo = lo;
	a->hi = hi;
	linear_ticks(a, lo, hi, step);
}

/* xs: the sorted data x values (nx of them, may repeat). */
static void make_x_axis(axis *a, const double *xs, size_t nx, int log_x)
{
	a->log = log_x;
	double xmin = xs[0], xmax = xs[nx - 1];
	double lo = log_x ? log10(xmin) : xmin, hi = log_x ? log10(xmax) : xmax;
	if (hi - lo <= 1e-12 * fmax(1.0, fabs(hi))) {
		double pad = log_x ? 0.5 : fmax(fabs(hi) * 0.1, 0.5);
		lo -= pad;
		hi += pad;
	} else {
		double pad = 0.04 * (hi - lo);
		lo -= pad;
		hi += pad;
	}
	a->lo = lo;
	a->hi = hi;
	if (!log_x) {
		linear_ticks(a, lo, hi, nice_step(hi - lo, 6));
		return;
	}
	a->decimals = -1;
	a->nticks = 0;
	size_t distinct = 0;
	for (size_t k = 0; k < nx; k++)
		if (k == 0 || xs[k] > xs[k - 1] * (1.0 + 1e-9))
			distinct++;
	if (distinct <= LOG_DATA_TICKS) {
		for (size_t k = 0; k < nx; k++)
			if (k == 0 || xs[k] > xs[k - 1] * (1.0 + 1e-9))
				a->ticks[a->nticks++] = xs[k];
		return;
	}
	/* 1-2-5 per decade, or only the powers of ten if that is too many. */
	static const double mult[3] = {1.0, 2.0, 5.0};
	int per = (hi - lo) > 4.0 ? 1 : 3;
	for (double e = floor(lo); e <= ceil(hi) && a->nticks < MAX_TICKS; e++)
		for (int k = 0; k < per && a->nticks < MAX_TICKS; k++) {
			double v = mult[k] * pow(10.0, e);
			double lv = log10(v);
			if (lv >= lo && lv <= hi)
				a->ticks[a->nticks++] = v;
		}
}

static void put_num(FILE *f, double v, int decimals)
{
	if (decimals < 0)
		fprintf(f, "%g", v);
	else
		fprintf(f, "%.*f", decimals, v);
}

static int write_svg(FILE *f, const char *title, const char *xlabel, const char *ylabel,
		     const axis *ax, const axis *ay, const plot_series *series, size_t n_series)
{
	size_t longest = 0;
	for (size_t s = 0; s < n_series; s++) {
		size_t c = series[s].name ? text_chars(series[s].name) : 10;
		if (c > longest)
			longest = c;
	}
	if (longest > LEGEND_MAX_CHARS)
		longest = LEGEND_MAX_CHARS;
	const double legend_w = 36.0 + CHAR_W * (double)longest;
	const double x0 = PLOT_LEFT, x1 = PLOT_W - legend_w - 20.0;
	const double y0 = PLOT_TOP, y1 = PLOT_H - PLOT_BOTTOM;

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" "
		   "font-size=\"12\">\n",
		(int)PLOT_W, (int)PLOT_H, (int)PLOT_W, (int)PLOT_H);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		(int)PLOT_W, (int)PLOT_H);
	if (title) {
		fprintf(f, "<text x=\"%.1f\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" "
			   "font-weight=\"bold\">",
			(x0 + x1) / 2.0);
		put_text(f, title, 0);
		fputs("</text>\n", f);
	}

	/* Grid and ticks. */
	fputs("<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n", f);
	for (int t = 0; t < ax->nticks; t++) {
		double px = axis_pos(ax, ax->ticks[t], x0, x1);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", px, y0, px, y1);
	}
	for (int t = 0; t < ay->nticks; t++) {
		double py = axis_pos(ay, ay->ticks[t], y1, y0);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x0, py, x1, py);
	}
	fputs("</g>\n", f);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
		   "stroke=\"#444444\" stroke-width=\"1\"/>\n",
		x0, y0, x1 - x0, y1 - y0);
	fputs("<g class=\"x-ticks\" fill=\"#333333\" text-anchor=\"middle\">\n", f);
	double last_px = -1e9;
	for (int t = 0; t < ax->nticks; t++) {
		double px = axis_pos(ax, ax->ticks[t], x0, x1);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444444\"/>\n",
			px, y1, px, y1 + 5.0);
		if (px - last_px < 34.0) /* keep labels from overlapping on a crowded log axis */
			continue;
		last_px = px;
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", px, y1 + 19.0);
		put_num(f, ax->ticks[t], ax->decimals);
		fputs("</text>\n", f);
	}
	fputs("</g>\n<g class=\"y-ticks\" fill=\"#333333\" text-anchor=\"end\">\n", f);
	for (int t = 0; t < ay->nticks; t++) {
		double py = axis_pos(ay, ay->ticks[t], y1, y0);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444444\"/>\n",
			x0 - 5.0, py, x0, py);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x0 - 8.0, py + 4.0);
		put_num(f, ay->ticks[t], ay->decimals);
		fputs("</text>\n", f);
	}
	fputs("</g>\n", f);
	if (xlabel) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\">",
			(x0 + x1) / 2.0, PLOT_H - 14.0);
		put_text(f, xlabel, 0);
		fputs(ax->log ? " (log scale)</text>\n" : "</text>\n", f);
	}
	if (ylabel) {
		fprintf(f, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" "
			   "transform=\"rotate(-90 18 %.1f)\">",
			(y0 + y1) / 2.0, (y0 + y1) / 2.0);
		put_text(f, ylabel, 0);
		fputs("</text>\n", f);
	}

	/* Series: one group with a tooltip, a polyline and a marker per point. */
	for (size_t s = 0; s < n_series; s++) {
		const plot_series *sr = &series[s];
		const char *col = palette[s % PALETTE_N];
		const char *dash = s >= PALETTE_N ? " stroke-dasharray=\"6 3\"" : "";
		fprintf(f, "<g class=\"series\">\n<title>");
		if (sr->name)
			put_text(f, sr->name, 0);
		else
			fprintf(f, "series %zu", s + 1);
		fprintf(f, "</title>\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
			   "stroke-linejoin=\"round\" points=\"",
			col, dash);
		for (size_t k = 0; k < sr->n; k++)
			fprintf(f, "%s%.1f,%.1f", k ? " " : "", axis_pos(ax, sr->x[k], x0, x1),
				axis_pos(ay, sr->y[k], y1, y0));
		fprintf(f, "\"/>\n<g fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\">\n", col);
		for (size_t k = 0; k < sr->n; k++)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>\n",
				axis_pos(ax, sr->x[k], x0, x1), axis_pos(ay, sr->y[k], y1, y0));
		fputs("</g>\n</g>\n", f);
	}

	/* Legend. */
	const double lx = x1 + 16.0;
	fputs("<g class=\"legend\" font-size=\"12\" fill=\"#222222\">\n", f);
	for (size_t s = 0; s < n_series; s++) {
		const char *col = palette[s % PALETTE_N];
		const char *dash = s >= PALETTE_N ? " stroke-dasharray=\"6 3\"" : "";
		double ly = y0 + 8.0 + 20.0 * (double)s;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
			   "stroke-width=\"2\"%s/>\n",
			lx, ly, lx + 22.0, ly, col, dash);
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", lx + 11.0, ly,
			col);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", lx + 28.0, ly + 4.0);
		if (series[s].name)
			put_text(f, series[s].name, LEGEND_MAX_CHARS);
		else
			fprintf(f, "series %zu", s + 1);
		fputs("</text>\n", f);
	}
	fputs("</g>\n</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

int plot_svg_write(const char *path, const char *title, const char *xlabel, const char *ylabel,
		   int log_x, const plot_series *series, size_t n_series, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!path || !*path) {
		set_err(err, errlen, "plot: no output path");
		return -1;
	}
	if (!series || n_series == 0) {
		set_err(err, errlen, "plot: no series to draw");
		return -1;
	}
	size_t total = 0;
	double ymin = INFINITY, ymax = -INFINITY;
	for (size_t s = 0; s < n_series; s++) {
		const plot_series *sr = &series[s];
		const char *nm = sr->name ? sr->name : "(unnamed)";
		if (sr->n > 0 && (!sr->x || !sr->y)) {
			set_err(err, errlen, "plot: series '%s' has %zu points but no x or y array", nm,
				sr->n);
			return -1;
		}
		for (size_t k = 0; k < sr->n; k++) {
			if (!isfinite(sr->x[k]) || !isfinite(sr->y[k])) {
				set_err(err, errlen, "plot: series '%s' point %zu is not finite (%g, %g)",
					nm, k, sr->x[k], sr->y[k]);
				return -1;
			}
			if (log_x && !(sr->x[k] > 0.0)) {
				set_err(err, errlen,
					"plot: series '%s' point %zu has x = %g; a log x axis needs x > 0",
					nm, k, sr->x[k]);
				return -1;
			}
			ymin = fmin(ymin, sr->y[k]);
			ymax = fmax(ymax, sr->y[k]);
		}
		total += sr->n;
	}
	if (total == 0) {
		set_err(err, errlen, "plot: the series have no points");
		return -1;
	}
	double *xs = malloc(total * sizeof *xs);
	if (!xs) {
		set_err(err, errlen, "plot: out of memory");
		return -1;
	}
	size_t nx = 0;
	for (size_t s = 0; s < n_series; s++)
		for (size_t k = 0; k < series[s].n; k++)
			xs[nx++] = series[s].x[k];
	qsort(xs, nx, sizeof *xs, cmp_double);
	axis ax, ay;
	make_x_axis(&ax, xs, nx, log_x);
	make_y_axis(&ay, ymin, ymax);
	free(xs);

	size_t plen = strlen(path);
	char *tmp = malloc(plen + 8);
	if (!tmp) {
		set_err(err, errlen, "plot: out of memory");
		return -1;
	}
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".XXXXXX", 8);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		set_err(err, errlen, "plot: cannot create a temporary file next to %s: %s", path,
			strerror(errno));
		free(tmp);
		return -1;
	}
	(void)fchmod(fd, 0644); /* mkstemp makes it 0600; a plot is meant to be shared */
	FILE *f = fdopen(fd, "w");
	if (!f) {
		set_err(err, errlen, "plot: %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	int rc = write_svg(f, title, xlabel, ylabel, &ax, &ay, series, n_series);
	if (rc == 0 && fflush(f) != 0)
		rc = -1;
	if (rc == 0 && fsync(fileno(f)) != 0 && errno != EINVAL)
		rc = -1;
	int saved = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		set_err(err, errlen, "plot: writing %s: %s", tmp, strerror(saved));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		set_err(err, errlen, "plot: cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
