/* SPDX-License-Identifier: MIT */
/* wnnrec.c - the command-line tool: evaluation, recommendation, an interactive agent, benchmarks. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: wnnrec COMMAND [options]     (wnnrec COMMAND --help for its options)\n"
	"Per-user movie recommendation with weightless neural agents (docs/algorithm.md).\n"
	"commands:\n"
	"  eval       the paper's MovieLens protocol, baselines, streaming; table, CSV, JSON, plot\n"
	"  recommend  top-N unseen movies for one user, with the stored ratings behind each pick\n"
	"  agent      an interactive agent on stdin: rate, predict, explain, forget, save, load\n"
	"  bench      training and prediction throughput (golden) or device cycles (hardware)\n";

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} cmds[] = {
		{"eval", cmd_eval}, {"recommend", cmd_recommend}, {"agent", cmd_agent},
		{"bench", cmd_bench},
	};

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("wnnrec %d.%d.%d\n", WNN_VERSION_MAJOR, WNN_VERSION_MINOR, WNN_VERSION_PATCH);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "wnnrec: unknown command '%s'\n%s", argv[1], usage);
	return 2;
}
