/* SPDX-License-Identifier: MIT */
/* test_uart.c - the uart backend against the golden model: every result equal, nothing lost,
 * nothing applied twice, however the link misbehaves.
 *
 * Usage: test-uart SPEC [--ops N] [--seed S] [--agents K] [--capacity C] [--min-retries R]
 *        [--timing]
 * SPEC is a uart backend spec, e.g. "uart:/dev/pts/3,timeout=20,retries=40" (build/sim/uart-pty,
 * with or without --faults). N random operations run on K agents of the paper's configuration
 * (overflow: evict) on both the golden backend and SPEC: train, predict, step, forget_entry,
 * forget_input, clear, reset_state. Every return code, prediction and state must be equal; every
 * 250 operations and at the end the entry counts of all agents, and at the end (and every 2000)
 * every stored entry (wnn_read_entry), must be equal: a lost or twice-applied update changes them.
 * --min-retries R fails the run if the link retried fewer than R times (proves that the faults
 * reached the protocol). --timing prints the host round-trip time of train and predict calls and
 * the device cycles of each (CYCLES_LAST). Exit 0 on success, 1 on a mismatch, 2 on a set-up error.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wnn.h"
#include "wnn_uart.h"

#define MAX_AGENTS 4
#define POOL	   48
#define SAMPLES	   4096

enum op {
	OP_TRAIN,
	OP_PREDICT,
	OP_STEP,
	OP_FORGET_ENTRY,
	OP_FORGET_INPUT,
	OP_CLEAR,
	OP_RESET,
	OP_N
};
static const unsigned op_weight[OP_N] = {48, 36, 6, 4, 4, 1, 1};

typedef struct timing {
	double ms[SAMPLES];
	uint64_t cycles_sum, cycles_min, cycles_max, cycles_n;
	unsigned n;
} timing;

typedef struct run {
	uint64_t seed, rng, ops;
	const char *spec;
	wnn_ctx *g, *u;
	wnn_agent *ga[MAX_AGENTS], *ua[MAX_AGENTS];
	unsigned agents;
	uint64_t pool[POOL];
	uint64_t count[OP_N];
	uint64_t op_index;
	int timing;
	timing t[2]; /* train, predict */
} run;

static uint64_t rnd(run *r)
{
	uint64_t z = (r->rng += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int fail(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(run *r, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL at operation %" PRIu64 ": ", r->op_index);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n  repeat: test-uart '%s' --seed %" PRIu64 " --ops %" PRIu64 " --agents %u\n",
	       r->spec, r->seed, r->ops, r->agents);
	printf("  uart detail: %s\n", wnn_ctx_errmsg(r->u));
	return 1;
}

static int same_rc(run *r, const char *what, unsigned a, int gr, int ur)
{
	if (gr == ur)
		return 0;
	return fail(r, "%s on agent %u: golden returned %d (%s), uart %d (%s)", what, a, gr,
		    wnn_strerror(gr), ur, wnn_strerror(ur));
}

static int compare_counts(run *r)
{
	for (unsigned a = 0; a < r->agents; a++) {
		wnn_stats gs, us;
		int gr = wnn_get_stats(r->ga[a], &gs), ur = wnn_get_stats(r->ua[a], &us);
		if (same_rc(r, "get_stats", a, gr, ur))
			return 1;
		if (gs.entries != us.entries)
			return fail(r, "agent %u holds %u entries on golden, %u on uart", a,
				    gs.entries, us.entries);
	}
	return 0;
}

static int compare_memories(run *r)
{
	if (compare_counts(r))
		return 1;
	for (unsigned a = 0; a < r->agents; a++) {
		wnn_stats st;
		wnn_get_stats(r->ga[a], &st);
		for (uint32_t k = 0; k < st.entries; k++) {
			uint64_t gx, gy, ux, uy;
			int gr = wnn_read_entry(r->ga[a], k, &gx, &gy);
			int ur = wnn_read_entry(r->ua[a], k, &ux, &uy);
			if (same_rc(r, "read_entry", a, gr, ur))
				return 1;
			if (gx != ux || gy != uy)
				return fail(r,
					    "agent %u entry %u: golden (x 0x%" PRIx64
					    ", y 0x%" PRIx64 "), uart (x 0x%" PRIx64
					    ", y 0x%" PRIx64 ")",
					    a, k, gx, gy, ux, uy);
		}
	}
	return 0;
}

static void sample(run *r, int which, double ms, wnn_agent *a)
{
	timing *t = &r->t[which];
	wnn_stats st;

	if (t->n < SAMPLES)
		t->ms[t->n++] = ms;
	if (!wnn_get_stats(a, &st) && st.last_cycles) {
		t->cycles_sum += st.last_cycles;
		t->cycles_min =
		    t->cycles_n && t->cycles_min < st.last_cycles ? t->cycles_min : st.last_cycles;
		t->cycles_max = t->cycles_max > st.last_cycles ? t->cycles_max : st.last_cycles;
		t->cycles_n++;
	}
}

static int one_op(run *r)
{
	unsigned a = (unsigned)(rnd(r) % r->agents), total = 0, pick;
	uint64_t x = r->pool[rnd(r) % POOL], y = rnd(r) & 0x3FFu, gz = 0, uz = 0;
	int op = 0, gr, ur;
	double t0;

	for (int i = 0; i < OP_N; i++)
		total += op_weight[i];
	pick = (unsigned)(rnd(r) % total);
	while (pick >= op_weight[op])
		pick -= op_weight[op++];
	r->count[op]++;
	switch (op) {
	case OP_TRAIN:
		gr = wnn_train(r->ga[a], x, y);
		t0 = now_ms();
		ur = wnn_train(r->ua[a], x, y);
		if (r->timing)
			sample(r, 0, now_ms() - t0, r->ua[a]);
		return same_rc(r, "train", a, gr, ur);
	case OP_PREDICT:
		gr = wnn_predict(r->ga[a], x, &gz);
		t0 = now_ms();
		ur = wnn_predict(r->ua[a], x, &uz);
		if (r->timing)
			sample(r, 1, now_ms() - t0, r->ua[a]);
		if (same_rc(r, "predict", a, gr, ur))
			return 1;
		if (gz != uz)
			return fail(r,
				    "predict(0x%" PRIx64 ") on agent %u: golden 0x%" PRIx64
				    ", uart 0x%" PRIx64,
				    x, a, gz, uz);
		return 0;
	case OP_STEP: {
		uint64_t gq, uq;
		gr = wnn_step(r->ga[a], x, &gq, &gz);
		ur = wnn_step(r->ua[a], x, &uq, &uz);
		if (same_rc(r, "step", a, gr, ur))
			return 1;
		if (gq != uq || gz != uz)
			return fail(r,
				    "step on agent %u: golden q 0x%" PRIx64 " z 0x%" PRIx64
				    ", uart q 0x%" PRIx64 " z 0x%" PRIx64,
				    a, gq, gz, uq, uz);
		return 0;
	}
	case OP_FORGET_ENTRY: {
		uint32_t rank = (uint32_t)(rnd(r) % 160u);
		gr = wnn_forget_entry(r->ga[a], rank);
		ur = wnn_forget_entry(r->ua[a], rank);
		return same_rc(r, "forget_entry", a, gr, ur);
	}
	case OP_FORGET_INPUT:
		gr = wnn_forget_input(r->ga[a], x);
		ur = wnn_forget_input(r->ua[a], x);
		return same_rc(r, "forget_input", a, gr, ur);
	case OP_CLEAR:
		gr = wnn_clear(r->ga[a]);
		ur = wnn_clear(r->ua[a]);
		return same_rc(r, "clear", a, gr, ur);
	default:
		gr = wnn_reset_state(r->ga[a]);
		ur = wnn_reset_state(r->ua[a]);
		return same_rc(r, "reset_state", a, gr, ur);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void print_timing(const char *name, timing *t)
{
	double sum = 0;

	if (!t->n)
		return;
	for (unsigned i = 0; i < t->n; i++)
		sum += t->ms[i];
	qsort(t->ms, t->n, sizeof(t->ms[0]), cmp_double);
	printf("test-uart: %-7s host round trip: mean %.2f ms, median %.2f, p99 %.2f (%u calls); "
	       "device cycles: mean %.0f, min %" PRIu64 ", max %" PRIu64 "\n",
	       name, sum / t->n, t->ms[t->n / 2], t->ms[t->n * 99 / 100], t->n,
	       t->cycles_n ? (double)t->cycles_sum / (double)t->cycles_n : 0.0, t->cycles_min,
	       t->cycles_max);
}

int main(int argc, char **argv)
{
	static run r; /* the timing samples make it large */
	char err[512];
	uint64_t min_retries = 0;
	uint32_t capacity = 128;
	wnn_config cfg;
	wnn_uart_stats us;
	double t0;
	int bad = 0;

	if (argc < 2 || strncmp(argv[1], "uart:", 5)) {
		fprintf(stderr,
			"usage: test-uart uart:PTY[,timeout=MS][,retries=N] [--ops N] "
			"[--seed S] [--agents K] [--capacity C] [--min-retries R] [--timing]\n");
		return 2;
	}
	r.spec = argv[1];
	r.ops = 10000;
	r.seed = 1;
	r.agents = MAX_AGENTS;
	for (int i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "";
		if (!strcmp(argv[i], "--timing")) {
			r.timing = 1;
			continue;
		}
		if (!strcmp(argv[i], "--ops"))
			r.ops = strtoull(v, NULL, 0);
		else if (!strcmp(argv[i], "--seed"))
			r.seed = strtoull(v, NULL, 0);
		else if (!strcmp(argv[i], "--agents"))
			r.agents = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "--capacity"))
			capacity = (uint32_t)strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "--min-retries"))
			min_retries = strtoull(v, NULL, 0);
		else {
			fprintf(stderr, "test-uart: unknown option '%s'\n", argv[i]);
			return 2;
		}
		i++;
	}
	if (!r.agents || r.agents > MAX_AGENTS) {
		fprintf(stderr, "test-uart: --agents 1..%d\n", MAX_AGENTS);
		return 2;
	}
	printf("test-uart: seed %" PRIu64 ", %" PRIu64 " operations on %u agents (capacity %u, "
	       "evict) over %s\n",
	       r.seed, r.ops, r.agents, capacity, r.spec);
	fflush(stdout);
	r.rng = r.seed;
	if (wnn_ctx_open(&r.g, "golden", err, sizeof(err)) ||
	    wnn_ctx_open(&r.u, r.spec, err, sizeof(err))) {
		fprintf(stderr, "test-uart: %s\n", err);
		return 2;
	}
	wnn_config_default(&cfg);
	cfg.capacity = capacity;
	cfg.overflow = WNN_OVERFLOW_EVICT;
	for (unsigned a = 0; a < r.agents; a++) {
		int gr, ur;
		cfg.seed = r.seed * 1000u + a;
		gr = wnn_agent_create(r.g, &cfg, &r.ga[a]);
		ur = wnn_agent_create(r.u, &cfg, &r.ua[a]);
		if (gr || ur) {
			fprintf(stderr, "test-uart: creating agent %u: golden %d, uart %d: %s\n", a,
				gr, ur, wnn_ctx_errmsg(r.u));
			return 2;
		}
	}
	for (int i = 0; i < POOL; i++)
		r.pool[i] = rnd(&r) & ((UINT64_C(1) << 26) - 1u);

	t0 = now_ms();
	for (r.op_index = 0; r.op_index < r.ops && !bad; r.op_index++) {
		bad = one_op(&r);
		if (!bad && r.op_index % 250 == 249)
			bad = compare_counts(&r);
		if (!bad && r.op_index % 2000 == 1999)
			bad = compare_memories(&r);
	}
	if (!bad)
		bad = compare_memories(&r);
	wnn_uart_get_stats(r.u, &us);
	printf("test-uart: %s after %" PRIu64 " operations in %.1f s: %" PRIu64
	       " updates (train %" PRIu64 ", forget %" PRIu64 ", clear %" PRIu64 "), %" PRIu64
	       " predictions, %" PRIu64 " steps, %" PRIu64 " resets\n",
	       bad ? "FAILED" : "all equal", r.op_index, (now_ms() - t0) / 1e3,
	       r.count[OP_TRAIN] + r.count[OP_FORGET_ENTRY] + r.count[OP_FORGET_INPUT] +
		   r.count[OP_CLEAR],
	       r.count[OP_TRAIN], r.count[OP_FORGET_ENTRY] + r.count[OP_FORGET_INPUT],
	       r.count[OP_CLEAR], r.count[OP_PREDICT], r.count[OP_STEP], r.count[OP_RESET]);
	printf("test-uart: link: %" PRIu64 " accesses, %" PRIu64 " frames, %" PRIu64
	       " retries (%" PRIu64 " timeouts, %" PRIu64 " CRC_ERROR answers, %" PRIu64
	       " corrupt responses, %" PRIu64 " refused), %" PRIu64 " stale responses, %" PRIu64
	       " bytes sent, %" PRIu64 " received, %" PRIu64 " skipped\n",
	       us.requests, us.frames, us.retries, us.timeouts, us.naks, us.corrupt, us.refused,
	       us.stale, us.bytes_sent, us.bytes_received, us.bytes_skipped);
	if (r.timing) {
		print_timing("train", &r.t[0]);
		print_timing("predict", &r.t[1]);
	}
	if (!bad && us.retries < min_retries) {
		printf("FAIL: %" PRIu64 " retries, expected at least %" PRIu64
		       " (are the faults on?)\n",
		       us.retries, min_retries);
		bad = 1;
	}
	wnn_ctx_close(r.u);
	wnn_ctx_close(r.g);
	return bad ? 1 : 0;
}
