/* SPDX-License-Identifier: MIT */
/* test_plot.c - the SVG line chart writer. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot.h"

/* Each test runs in its own process, so the fixture's directory can live in a static. */
static char tmpdir[256];

static void make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/wnnrec_plot_XXXXXX", base && *base ? base : "/tmp");
	cr_assert_not_null(mkdtemp(tmpdir), "expected a temporary directory under %s", tmpdir);
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	if (!d)
		return;
	struct dirent *e;
	char path[512];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(tmpdir);
}

TestSuite(plot_svg, .init = make_tmpdir, .fini = remove_tmpdir);

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static size_t files_in_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	size_t n = 0;
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* A small XML well-formedness check: balanced, properly nested tags, quoted attributes and only
 * known entity references. Returns NULL if fine, else a description of the first problem. */
static const char *xml_problem(const char *s)
{
	static char msg[160];
	const char *stack[64];
	size_t len[64], depth = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '&') {
			static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
			int ok = 0;
			for (size_t k = 0; k < 5; k++)
				ok |= strncmp(p, ents[k], strlen(ents[k])) == 0;
			if (!ok && p[1] == '#') {
				const char *q = p + 2;
				while (*q >= '0' && *q <= '9')
					q++;
				ok = q > p + 2 && *q == ';';
			}
			if (!ok) {
				snprintf(msg, sizeof msg, "bad entity at offset %ld", (long)(p - s));
				return msg;
			}
			continue;
		}
		if (*p == '>') {
			snprintf(msg, sizeof msg, "stray '>' at offset %ld", (long)(p - s));
			return msg;
		}
		if (*p != '<')
			continue;
		int closing = p[1] == '/';
		const char *name = p + 1 + closing, *q = name;
		while (*q && *q != ' ' && *q != '>' && *q != '/' && *q != '\n')
			q++;
		size_t nlen = (size_t)(q - name);
		if (nlen == 0) {
			snprintf(msg, sizeof msg, "empty tag name at offset %ld", (long)(p - s));
			return msg;
		}
		char quote = 0;
		while (*q && (quote || *q != '>')) {
			if (quote && *q == quote)
				quote = 0;
			else if (!quote && (*q == '"' || *q == '\''))
				quote = *q;
			else if (quote && *q == '<') {
				snprintf(msg, sizeof msg, "'<' in an attribute at offset %ld", (long)(q - s));
				return msg;
			}
			q++;
		}
		if (!*q) {
			snprintf(msg, sizeof msg, "unterminated tag at offset %ld", (long)(p - s));
			return msg;
		}
		int self_closing = q[-1] == '/';
		if (closing) {
			if (depth == 0 || len[depth - 1] != nlen || strncmp(stack[depth - 1], name, nlen)) {
				snprintf(msg, sizeof msg, "mismatched </%.*s> at offset %ld", (int)nlen, name,
					 (long)(p - s));
				return msg;
			}
			depth--;
		} else if (!self_closing) {
			if (depth == 64)
				return "nesting too deep";
			stack[depth] = name;
			len[depth++] = nlen;
		}
		p = q;
	}
	if (depth != 0) {
		snprintf(msg, sizeof msg, "%zu unclosed element(s), innermost <%.*s>", depth,
			 (int)len[depth - 1], stack[depth - 1]);
		return msg;
	}
	return NULL;
}

static const double xs[4] = {10, 100, 1000, 10000};
static const double ya[4] = {0.61, 0.70, 0.74, 0.78};
static const double yb[4] = {0.55, 0.58, 0.66, 0.71};
static const double yc[4] = {0.40, 0.52, 0.60, 0.69};

Test(plot_svg, writes_well_formed_svg_with_one_polyline_per_series)
{
	const plot_series s[3] = {
		{"WNN <paper> & co", 4, xs, ya},
		{"MLP \"tuned\"", 4, xs, yb},
		{"MF", 4, xs, yc},
	};
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/out.svg", tmpdir);
	int rc = plot_svg_write(path, "Accuracy vs. ratings", "ratings per user", "accuracy", 1, s, 3,
				err, sizeof err);
	cr_assert_eq(rc, 0, "expected 0, got %d (%s)", rc, err);
	char *svg = slurp(path);
	cr_assert_not_null(svg, "expected %s to be readable", path);
	cr_assert_eq(strncmp(svg, "<svg", 4), 0, "expected the file to start with <svg, got %.20s",
		     svg);
	size_t n = strlen(svg);
	cr_assert(n > 7 && strcmp(svg + n - 7, "</svg>\n") == 0,
		  "expected the file to end with </svg>, got ...%s", svg + (n > 20 ? n - 20 : 0));
	const char *problem = xml_problem(svg);
	cr_assert_null(problem, "expected well-formed XML, got: %s", problem ? problem : "");
	size_t polylines = count_of(svg, "<polyline");
	cr_assert_eq(polylines, 3, "expected 3 polylines, got %zu", polylines);
	cr_assert_not_null(strstr(svg, "WNN &lt;paper&gt; &amp; co"),
			   "expected the escaped name 'WNN &lt;paper&gt; &amp; co' in the SVG");
	cr_assert_not_null(strstr(svg, "MLP &quot;tuned&quot;"),
			   "expected the escaped name 'MLP &quot;tuned&quot;' in the SVG");
	cr_assert_not_null(strstr(svg, ">MF<"), "expected the name MF in the SVG");
	cr_assert_null(strstr(svg, "<paper>"), "expected no raw '<paper>' in the SVG");
	size_t circles = count_of(svg, "<circle");
	cr_assert_geq(circles, 12, "expected >= 12 point markers (4 x 3 series), got %zu", circles);
	free(svg);
}

Test(plot_svg, escapes_title_and_axis_labels)
{
	const plot_series s = {"a", 2, (const double[]){1, 2}, (const double[]){3, 4}};
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/t.svg", tmpdir);
	int rc = plot_svg_write(path, "x < y & z", "n <i>", "'stars'", 0, &s, 1, err, sizeof err);
	cr_assert_eq(rc, 0, "expected 0, got %d (%s)", rc, err);
	char *svg = slurp(path);
	cr_assert_not_null(svg, "expected the file");
	cr_assert_not_null(strstr(svg, "x &lt; y &amp; z"), "expected the escaped title");
	cr_assert_not_null(strstr(svg, "n &lt;i&gt;"), "expected the escaped x label");
	cr_assert_not_null(strstr(svg, "&apos;stars&apos;"), "expected the escaped y label");
	const char *problem = xml_problem(svg);
	cr_assert_null(problem, "expected well-formed XML, got: %s", problem ? problem : "");
	free(svg);
}

Test(plot_svg, accuracy_axis_does_not_run_past_one)
{
	const plot_series s = {"acc", 3, (const double[]){1, 2, 3}, (const double[]){0.9, 0.97, 1.0}};
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/acc.svg", tmpdir);
	cr_assert_eq(plot_svg_write(path, NULL, NULL, NULL, 0, &s, 1, err, sizeof err), 0,
		     "expected 0 (%s)", err);
	char *svg = slurp(path);
	cr_assert_not_null(svg, "expected the file");
	const char *g = strstr(svg, "class=\"y-ticks\"");
	cr_assert_not_null(g, "expected a y-ticks group");
	const char *end = strstr(g, "</g>");
	double top = -INFINITY;
	for (const char *p = strstr(g, "<text"); p && p < end; p = strstr(p + 1, "<text")) {
		const char *v = strchr(p, '>');
		top = fmax(top, strtod(v + 1, NULL));
	}
	cr_assert_float_eq(top, 1.0, 1e-9, "expected the top y tick at 1, got %g", top);
	free(svg);
}

Test(plot_svg, replaces_existing_file_without_leaving_temporaries)
{
	const plot_series s = {"a", 2, (const double[]){1, 2}, (const double[]){3, 4}};
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/r.svg", tmpdir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "expected to create %s", path);
	fputs("old contents", f);
	fclose(f);
	cr_assert_eq(plot_svg_write(path, "t", "x", "y", 0, &s, 1, err, sizeof err), 0,
		     "expected 0 (%s)", err);
	char *svg = slurp(path);
	cr_assert_not_null(svg, "expected the file");
	cr_assert_eq(strncmp(svg, "<svg", 4), 0, "expected the new SVG, got %.20s", svg);
	size_t files = files_in_tmpdir();
	cr_assert_eq(files, 1, "expected only the SVG in the directory, got %zu files", files);
	free(svg);
}

Test(plot_svg, rejects_zero_series)
{
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/none.svg", tmpdir);
	int rc = plot_svg_write(path, "t", "x", "y", 0, NULL, 0, err, sizeof err);
	cr_assert_eq(rc, -1, "expected -1 for no series, got %d", rc);
	cr_assert_neq(err[0], '\0', "expected a reason in err");
	cr_assert_eq(access(path, F_OK), -1, "expected no file to be written");
	cr_assert_eq(files_in_tmpdir(), 0, "expected nothing left in the directory");
}

Test(plot_svg, rejects_series_without_points)
{
	const plot_series s = {"empty", 0, NULL, NULL};
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/e.svg", tmpdir);
	int rc = plot_svg_write(path, "t", "x", "y", 0, &s, 1, err, sizeof err);
	cr_assert_eq(rc, -1, "expected -1 when no series has points, got %d", rc);
	cr_assert_neq(err[0], '\0', "expected a reason in err");
}

Test(plot_svg, rejects_nan)
{
	const plot_series s = {"bad", 3, (const double[]){1, 2, 3}, (const double[]){0.5, NAN, 0.7}};
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/nan.svg", tmpdir);
	int rc = plot_svg_write(path, "t", "x", "y", 0, &s, 1, err, sizeof err);
	cr_assert_eq(rc, -1, "expected -1 for a NaN value, got %d", rc);
	cr_assert_not_null(strstr(err, "not finite"), "expected 'not finite' in err, got '%s'", err);
	cr_assert_eq(files_in_tmpdir(), 0, "expected nothing left in the directory");
}

Test(plot_svg, rejects_non_positive_x_on_log_axis)
{
	const plot_series s = {"z", 2, (const double[]){0, 10}, (const double[]){0.5, 0.6}};
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/log.svg", tmpdir);
	int rc = plot_svg_write(path, "t", "x", "y", 1, &s, 1, err, sizeof err);
	cr_assert_eq(rc, -1, "expected -1 for x = 0 on a log axis, got %d", rc);
	cr_assert_not_null(strstr(err, "log"), "expected the reason to mention the log axis, got '%s'",
			   err);
}

Test(plot_svg, reports_unwritable_path)
{
	const plot_series s = {"a", 2, (const double[]){1, 2}, (const double[]){3, 4}};
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/no/such/dir/p.svg", tmpdir);
	int rc = plot_svg_write(path, "t", "x", "y", 0, &s, 1, err, sizeof err);
	cr_assert_eq(rc, -1, "expected -1 for a missing directory, got %d", rc);
	cr_assert_not_null(strstr(err, path), "expected the path in err, got '%s'", err);
}

Test(plot_svg, many_series_and_invalid_utf8_stay_well_formed)
{
	enum { NS = 14 };
	plot_series s[NS];
	char names[NS][48];
	double y[NS][4];
	for (size_t k = 0; k < NS; k++) {
		snprintf(names[k], sizeof names[k], "series %zu with a rather long name \xff", k);
		for (size_t j = 0; j < 4; j++)
			y[k][j] = (double)k + 0.1 * (double)j;
		s[k] = (plot_series){names[k], 4, xs, y[k]};
	}
	char path[300], err[256] = "";
	snprintf(path, sizeof path, "%s/many.svg", tmpdir);
	cr_assert_eq(plot_svg_write(path, "many", "x", "y", 1, s, NS, err, sizeof err), 0,
		     "expected 0 (%s)", err);
	char *svg = slurp(path);
	cr_assert_not_null(svg, "expected the file");
	const char *problem = xml_problem(svg);
	cr_assert_null(problem, "expected well-formed XML, got: %s", problem ? problem : "");
	cr_assert_null(strchr(svg, '\xff'), "expected the invalid byte to be replaced");
	size_t polylines = count_of(svg, "<polyline");
	cr_assert_eq(polylines, NS, "expected %d polylines, got %zu", NS, polylines);
	free(svg);
}
