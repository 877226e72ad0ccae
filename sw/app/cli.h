/* SPDX-License-Identifier: MIT */
/* cli.h - what the wnnrec subcommands share: options, data loading, agent settings. */
#ifndef WNNREC_CLI_H
#define WNNREC_CLI_H

#include "dataset.h"
#include "encode.h"
#include "wnn.h"

/* Options every subcommand that touches data or agents accepts. */
typedef struct cli_common {
	const char *data;     /* MovieLens directory */
	const char *meta;     /* movies_metadata.csv, or NULL */
	int no_meta;
	const char *backend;
	enc_kind enc;
	join_kind join;
	uint64_t seed;
	const char *agent;    /* "paper" or "best": the base agent configuration */
	wnn_config cfg;       /* after --agent and the overrides below */
	int cfg_overridden;
	/* agent overrides, value + 1 (0 = not given), applied after --agent by cli_agent_config */
	uint32_t ov_conn, ov_k, ov_recurrent, ov_capacity, ov_settle, ov_threshold, ov_tie,
		ov_reset, ov_overflow;
} cli_common;

void cli_common_init(cli_common *c);
/* Consumes argv[*i] (and its value) if it is a common option: 1 consumed, 0 not ours, -1 bad
 * value (message printed). */
int cli_common_option(cli_common *c, int argc, char **argv, int *i);
/* Help text for the common options. */
extern const char cli_common_help[];
/* Applies --agent and the agent overrides; -1 (message printed) if the result is invalid. */
int cli_agent_config(cli_common *c);

typedef struct cli_data {
	ml_dataset ds;
	tmdb_meta meta;
	int have_meta;
	encoder enc;
} cli_data;
/* Loads ratings (and metadata when given or found) and builds the encoder; messages on stderr. */
int cli_data_load(cli_common *c, cli_data *d, int quiet);
void cli_data_free(cli_data *d);

/* Default paths when the shared data sits beside the project (../shared/data). */
const char *cli_default_data(void);
const char *cli_default_meta(void);

int cmd_eval(int argc, char **argv);
int cmd_recommend(int argc, char **argv);
int cmd_agent(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif
