/* SPDX-License-Identifier: MIT */
/* eval_report.c - evaluation results as a terminal table, CSV, JSON and an SVG plot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "plot.h"

static void row_label(char *buf, size_t n, const eval_row *row, int stream)
{
	if (!stream)
		snprintf(buf, n, "%u", row->r);
	else if (row->r_hi == row->r + 1)
		snprintf(buf, n, "%u", row->r);
	else if (row->r_hi)
		snprintf(buf, n, "%u-%u", row->r, row->r_hi - 1);
	else
		snprintf(buf, n, "%u+", row->r);
}

void eval_print_table(FILE *f, const eval_result *res, unsigned models, int stream)
{
	char label[32];

	fprintf(f, "%-9s %-6s %-10s %6s %8s %8s %8s %6s %6s\n", stream ? "seen" : "R", "users",
		"model", "preds", "within1", "median", "exact", "MAE", "RMSE");
	for (uint32_t i = 0; i < res->n_rows; i++) {
		const eval_row *row = &res->row[i];
		row_label(label, sizeof(label), row, stream);
		for (int m = 0; m < MODEL_COUNT; m++) {
			const model_score *s = &row->score[m];
			if (!(models & (1u << m)) || !s->predictions)
				continue;
			fprintf(f, "%-9s %-6u %-10s %6llu %8.3f %8.3f %8.3f %6.3f %6.3f\n", label,
				s->users, eval_model_name(m), (unsigned long long)s->predictions,
				s->within1_mean, s->within1_median, s->exact_mean, s->mae, s->rmse);
		}
		if (i + 1 < res->n_rows)
			fprintf(f, "\n");
	}
}

/* Writes through a temporary file so a reader never sees half a report. */
static FILE *open_tmp(const char *path, char **tmp, char *err, size_t errlen)
{
	FILE *f;

	*tmp = malloc(strlen(path) + 8);
	if (!*tmp) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	sprintf(*tmp, "%s.tmp", path);
	f = fopen(*tmp, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", *tmp, strerror(errno));
		free(*tmp);
	}
	return f;
}

static int close_tmp(FILE *f, char *tmp, const char *path, char *err, size_t errlen)
{
	int bad = ferror(f);

	if (fclose(f) || bad || rename(tmp, path)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		remove(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int eval_write_csv(const char *path, const eval_result *res, unsigned models, const char *mode,
		   char *err, size_t errlen)
{
	char *tmp;
	FILE *f = open_tmp(path, &tmp, err, errlen);

	if (!f)
		return -1;
	fprintf(f, "mode,ratings,ratings_hi,model,users,predictions,within1_mean,within1_median,"
		   "exact_mean,mae,rmse,eligible_users,fallback_items,test_items\n");
	for (uint32_t i = 0; i < res->n_rows; i++) {
		const eval_row *row = &res->row[i];
		for (int m = 0; m < MODEL_COUNT; m++) {
			const model_score *s = &row->score[m];
			if (!(models & (1u << m)) || !s->predictions)
				continue;
			fprintf(f, "%s,%u,%u,%s,%u,%llu,%.6f,%.6f,%.6f,%.6f,%.6f,%u,%llu,%llu\n", mode,
				row->r, row->r_hi, eval_model_name(m), s->users,
				(unsigned long long)s->predictions, s->within1_mean,
				s->within1_median, s->exact_mean, s->mae, s->rmse, row->eligible,
				(unsigned long long)row->fallback_items,
				(unsigned long long)row->test_items);
		}
	}
	return close_tmp(f, tmp, path, err, errlen);
}

static void json_rows(FILE *f, const eval_result *res, unsigned models)
{
	fprintf(f, "[");
	for (uint32_t i = 0; i < res->n_rows; i++) {
		const eval_row *row = &res->row[i];
		int first = 1;
		fprintf(f, "%s\n    {\"ratings\": %u, \"ratings_hi\": %u, \"eligible_users\": %u, "
			   "\"users\": %u, \"fallback_items\": %llu, \"test_items\": %llu, \"models\": {",
			i ? "," : "", row->r, row->r_hi, row->eligible, row->users,
			(unsigned long long)row->fallback_items, (unsigned long long)row->test_items);
		for (int m = 0; m < MODEL_COUNT; m++) {
			const model_score *s = &row->score[m];
			if (!(models & (1u << m)) || !s->predictions)
				continue;
			fprintf(f, "%s\n      \"%s\": {\"users\": %u, \"predictions\": %llu, "
				   "\"within1_mean\": %.6f, \"within1_median\": %.6f, "
				   "\"exact_mean\": %.6f, \"mae\": %.6f, \"rmse\": %.6f}",
				first ? "" : ",", eval_model_name(m), s->users,
				(unsigned long long)s->predictions, s->within1_mean, s->within1_median,
				s->exact_mean, s->mae, s->rmse);
			first = 0;
		}
		fprintf(f, "}}");
	}
	fprintf(f, "\n  ]");
}

int eval_write_json(const char *path, const eval_result *res, const eval_result *stream,
		    unsigned models, const char *meta_json, char *err, size_t errlen)
{
	char *tmp;
	FILE *f = open_tmp(path, &tmp, err, errlen);

	if (!f)
		return -1;
	fprintf(f, "{\n  \"run\": %s,\n  \"protocol\": ", meta_json ? meta_json : "{}");
	json_rows(f, res, models);
	if (stream) {
		fprintf(f, ",\n  \"stream\": ");
		json_rows(f, stream, models);
	}
	fprintf(f, "\n}\n");
	return close_tmp(f, tmp, path, err, errlen);
}

int eval_write_plot(const char *path, const eval_result *res, unsigned models, int stream,
		    const char *title, char *err, size_t errlen)
{
	plot_series series[MODEL_COUNT];
	double xs[MODEL_COUNT][EVAL_MAX_R], ys[MODEL_COUNT][EVAL_MAX_R];
	size_t n = 0;

	for (int m = 0; m < MODEL_COUNT; m++) {
		size_t k = 0;
		if (!(models & (1u << m)))
			continue;
		for (uint32_t i = 0; i < res->n_rows && i < EVAL_MAX_R; i++) {
			if (!res->row[i].score[m].predictions)
				continue;
			/* stream buckets plot at their lower bound; bucket 0 at 0.5 for a log axis */
			xs[n][k] = res->row[i].r ? res->row[i].r : 0.5;
			ys[n][k] = res->row[i].score[m].within1_mean;
			k++;
		}
		if (!k)
			continue;
		series[n] = (plot_series){eval_model_name(m), k, xs[n], ys[n]};
		n++;
	}
	return plot_svg_write(path, title,
			      stream ? "ratings seen before the prediction" : "ratings per user (R)",
			      "within-one-star accuracy (mean over users)", 1, series, n, err, errlen);
}
