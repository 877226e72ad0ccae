/* SPDX-License-Identifier: MIT */
/* cmd_bench.c - `wnnrec bench`: host throughput of the agent operations and, on hardware backends,
 * the device's own cycle counts per operation. Figures only: nothing here is a test. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "rng.h"

static const char bench_help[] =
	"usage: wnnrec bench [options]\n"
	"For each stored-entry count M: an agent of capacity M (evict policy, so every update keeps M\n"
	"entries) filled with M random pairs, then TRAIN, STEP and PREDICT timed on the host and, on\n"
	"hardware backends, counted in device clock cycles (CYCLES_LAST).\n"
	"  --entries LIST   stored entries M (default 8,64,200,1024)\n"
	"  --seconds S      host time per measurement (default 0.2)\n"
	"  --fmax MHZ       clock for converting cycles to ns (default: none)\n";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}


static uint64_t bits_mask(uint32_t bits)
{
	return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1u;
}

typedef struct measure {
	double per_second;
	uint64_t cycles; /* last operation's device cycles, 0 if not measured */
} measure;

enum { OP_TRAIN, OP_STEP, OP_PREDICT, OP_N };
static const char *const op_names[OP_N] = {"train", "step", "predict"};

static int run_op(wnn_agent *a, int op, uint64_t *rng, uint64_t in_mask, uint64_t out_mask)
{
	uint64_t x = rng_next(rng) & in_mask, z;

	switch (op) {
	case OP_TRAIN:
		return wnn_train(a, x, rng_next(rng) & out_mask);
	case OP_STEP:
		return wnn_step(a, x, NULL, NULL);
	default:
		return wnn_predict(a, x, &z);
	}
}

static int measure_op(wnn_agent *a, int op, double seconds, uint64_t *rng, measure *m)
{
	const wnn_config *cfg = wnn_agent_config(a);
	uint64_t in_mask = bits_mask(cfg->in_bits), out_mask = bits_mask(cfg->out_bits);
	wnn_stats st;
	double t0 = now(), t;
	uint64_t n = 0;
	int r;

	do {
		for (int k = 0; k < 16; k++) {
			r = run_op(a, op, rng, in_mask, out_mask);
			if (r)
				return r;
		}
		n += 16;
		t = now() - t0;
	} while (t < seconds);
	m->per_second = (double)n / t;
	r = wnn_get_stats(a, &st);
	m->cycles = st.last_cycles;
	return r;
}

int cmd_bench(int argc, char **argv)
{
	uint32_t entries[16] = {8, 64, 200, 1024}, n_entries = 4;
	double seconds = 0.2, fmax = 0;
	cli_common c;
	wnn_ctx *ctx;
	char err[256];
	int rc = 0;

	cli_common_init(&c);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_common_option(&c, argc, argv, &i);
		if (r < 0)
			return 2;
		if (r)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("%s%s", bench_help, cli_common_help);
			return 0;
		} else if (i + 1 < argc && !strcmp(a, "--entries")) {
			char *s = argv[++i], *end;
			n_entries = 0;
			while (*s && n_entries < 16) {
				unsigned long v = strtoul(s, &end, 10);
				if (end == s || v < 1 || v > WNN_MAX_CAPACITY || (*end && *end != ',')) {
					fprintf(stderr, "wnnrec: --entries: bad list '%s'\n", argv[i]);
					return 2;
				}
				entries[n_entries++] = (uint32_t)v;
				s = *end ? end + 1 : end;
			}
		} else if (i + 1 < argc && !strcmp(a, "--seconds")) {
			seconds = strtod(argv[++i], NULL);
			if (!(seconds > 0 && seconds < 100)) {
				fprintf(stderr, "wnnrec: --seconds: '%s' is not in (0, 100)\n", argv[i]);
				return 2;
			}
		} else if (i + 1 < argc && !strcmp(a, "--fmax")) {
			fmax = strtod(argv[++i], NULL);
			if (!(fmax > 0 && fmax < 10000)) {
				fprintf(stderr, "wnnrec: --fmax: '%s' is not a clock in MHz\n", argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "wnnrec bench: unknown or incomplete option '%s' (see --help)\n", a);
			return 2;
		}
	}
	if (cli_agent_config(&c))
		return 2;
	if (wnn_ctx_open(&ctx, c.backend, err, sizeof(err))) {
		fprintf(stderr, "wnnrec: backend: %s\n", err);
		return 1;
	}
	printf("backend %s; %s agent: %u-in/%u-out, %s connectivity%s, settle %u steps\n",
	       wnn_ctx_backend(ctx), c.agent, c.cfg.in_bits, c.cfg.out_bits,
	       c.cfg.connectivity == WNN_CONN_FULL	       ? "full"
	       : c.cfg.connectivity == WNN_CONN_FORWARD_FORWARD ? "forward_forward"
								: "random",
	       c.cfg.recurrent ? ", recurrent" : "", c.cfg.settle_steps);
	printf("%8s %-8s %14s %12s%s\n", "entries", "op", "host ops/s", "dev cycles",
	       fmax > 0 ? "      dev ns" : "");
	for (uint32_t e = 0; e < n_entries && !rc; e++) {
		wnn_config cfg = c.cfg;
		wnn_agent *a = NULL;
		uint64_t rng = 0x2545F4914F6CDD1Dull ^ entries[e];
		cfg.capacity = entries[e];
		cfg.overflow = WNN_OVERFLOW_EVICT;
		rc = wnn_agent_create(ctx, &cfg, &a);
		if (rc == WNN_ERR_UNSUPPORTED) { /* a device holds fewer entries per slot */
			printf("%8u (skipped: %s)\n", entries[e], wnn_ctx_errmsg(ctx));
			rc = 0;
			continue;
		}
		for (uint32_t k = 0; !rc && k < entries[e]; k++)
			rc = run_op(a, OP_TRAIN, &rng, bits_mask(cfg.in_bits), bits_mask(cfg.out_bits));
		for (int op = 0; op < OP_N && !rc; op++) {
			measure m;
			rc = measure_op(a, op, seconds, &rng, &m);
			if (rc)
				break;
			printf("%8u %-8s %14.0f ", entries[e], op_names[op], m.per_second);
			if (m.cycles)
				printf("%12llu", (unsigned long long)m.cycles);
			else
				printf("%12s", "-");
			if (fmax > 0 && m.cycles)
				printf(" %11.1f", (double)m.cycles * 1000.0 / fmax);
			printf("\n");
		}
		if (rc)
			fprintf(stderr, "wnnrec: bench at %u entries: %s: %s\n", entries[e],
				wnn_strerror(rc), wnn_ctx_errmsg(ctx));
		wnn_agent_free(a);
	}
	wnn_ctx_close(ctx);
	return rc ? 1 : 0;
}
