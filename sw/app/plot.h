/* SPDX-License-Identifier: MIT */
/* plot.h - a small dependency-free SVG line chart for evaluation results. */
#ifndef WNNREC_PLOT_H
#define WNNREC_PLOT_H

#include <stddef.h>

typedef struct plot_series {
	const char *name;
	size_t n;
	const double *x, *y;
} plot_series;

/* Writes an SVG line chart (one polyline with markers per series, legend, axes with ticks).
 * log_x: logarithmic x axis. Returns 0, or -1 with the reason in err. */
int plot_svg_write(const char *path, const char *title, const char *xlabel, const char *ylabel,
		   int log_x, const plot_series *series, size_t n_series, char *err, size_t errlen);

#endif
