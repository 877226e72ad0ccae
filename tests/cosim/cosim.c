/* SPDX-License-Identifier: MIT */
/* cosim.c - co-simulation: the golden model and the RTL (verilated) run the same random operations
 * through the public API (wnn.h) and must agree on everything after every operation.
 *
 * After each operation: its return code and results; the state (q, z, prng) of every open agent;
 * the operated agent's full memory (count and every entry by rank); after an operation that can
 * change memory, every agent's memory. The first difference stops the run with the operation, both
 * values and the command line that repeats it. Agents share one configuration per episode (the
 * device is configured per device, not per slot), so each episode opens fresh contexts with a new
 * variant of the base configuration: policies, threshold, settle steps, capacity, seeds, and for
 * the paper's widths sometimes full or random connectivity (36 groups: several search passes).
 *
 * Usage: cosim [--seed S] [--ops N] [--config NAME|all] [--trace FILE] [-v]
 *        cosim --cycles       cycle table of TRAIN / PREDICT / STEP against the entry count
 * Configurations, each on the builds that can hold it: paper-p1 (the paper's agent, LANES=1),
 * paper-p8 (LANES=8), random64 (random connectivity, 64 in / 64 out), paper-wide (the paper's
 * agent on a device wider than 26/10 bits). "all" runs every one the linked build holds, N
 * operations each. Exit 0 when everything matched, 1 on a mismatch, 2 on a usage or set-up
 * error. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wnn.h"
#include "wnn_regmap.h"
#include "wnn_sim.h"

#define MAX_AGENTS  8
#define POOL	    12
#define EPISODE_OPS 1500u

enum op {
	OP_TRAIN,
	OP_PREDICT,
	OP_STEP,
	OP_RESET,
	OP_FORGET_ENTRY,
	OP_FORGET_INPUT,
	OP_CLEAR,
	OP_READ_ENTRY,
	OP_STATS,
	OP_RELOAD,
	OP_RECREATE,
	OP_BAD_INPUT,
	OP_COUNT
};
static const char *const op_names[OP_COUNT] = {
    "train", "predict",	   "step",  "reset_state", "forget_entry", "forget_input",
    "clear", "read_entry", "stats", "reload",	   "recreate",	   "bad_input",
};
/* Relative frequency of each operation. */
static const unsigned op_weight[OP_COUNT] = {30, 18, 12, 4, 6, 5, 1, 6, 4, 1, 1, 1};

typedef struct device_params {
	uint32_t in_w, out_w, lanes, units, slots, depth, groups;
} device_params;

typedef struct cycle_stat {
	uint64_t n, sum, min, max;
} cycle_stat;

typedef struct cosim {
	/* the run */
	uint64_t seed, ops_total, rng;
	const char *config_name, *trace;
	int verbose;
	device_params dev;
	/* the episode */
	unsigned episode;
	wnn_config cfg;
	wnn_ctx *g, *v;
	wnn_agent *ga[MAX_AGENTS], *va[MAX_AGENTS];
	unsigned n_agents, n_agents_last;
	uint64_t pool[POOL];
	/* the operation */
	uint64_t op_index;
	char op_text[160];
	/* statistics */
	uint64_t op_count[OP_COUNT];
	cycle_stat cycles[OP_COUNT];
	uint64_t full_rejects, bad_ranks, slot_switches;
	int last_agent;
} cosim;

/* splitmix64: the test's own random numbers, independent of the agents' PRNG. */
static uint64_t rnd(cosim *c)
{
	uint64_t z = (c->rng += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint32_t below(cosim *c, uint32_t n)
{
	return n ? (uint32_t)(rnd(c) % n) : 0;
}

static uint64_t mask_bits(uint32_t bits)
{
	return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1u;
}

static int mismatch(cosim *c, const char *what, uint64_t golden, uint64_t rtl)
{
	fprintf(stderr,
		"cosim: MISMATCH at op %" PRIu64
		" (%s), config %s, episode %u: %s: golden 0x%" PRIx64 " (%" PRId64
		"), verilator 0x%" PRIx64 " (%" PRId64 ")\n",
		c->op_index, c->op_text, c->config_name, c->episode, what, golden, (int64_t)golden,
		rtl, (int64_t)rtl);
	fprintf(stderr, "cosim: last error message: golden '%s', verilator '%s'\n",
		c->g ? wnn_ctx_errmsg(c->g) : "", c->v ? wnn_ctx_errmsg(c->v) : "");
	fprintf(stderr, "cosim: repeat with: --seed %" PRIu64 " --ops %" PRIu64 " --config %s\n",
		c->seed, c->ops_total, c->config_name);
	return -1;
}

#define SAME(what, a, b)                                                                           \
	do {                                                                                       \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                   \
		if (a_ != b_)                                                                      \
			return mismatch(c, what, a_, b_);                                          \
	} while (0)

static int compare_state(cosim *c, unsigned i)
{
	wnn_state gs, vs;
	char what[64];
	int gr = wnn_get_state(c->ga[i], &gs), vr = wnn_get_state(c->va[i], &vs);

	snprintf(what, sizeof(what), "agent %u get_state return", i);
	SAME(what, gr, vr);
	if (gr)
		return mismatch(c, "get_state failed on both", (uint64_t)gr, (uint64_t)vr);
	snprintf(what, sizeof(what), "agent %u state q", i);
	SAME(what, gs.q, vs.q);
	snprintf(what, sizeof(what), "agent %u state z", i);
	SAME(what, gs.z, vs.z);
	snprintf(what, sizeof(what), "agent %u state prng", i);
	SAME(what, gs.prng, vs.prng);
	return 0;
}

static int compare_memory(cosim *c, unsigned i)
{
	wnn_stats gs, vs;
	char what[64];
	int gr = wnn_get_stats(c->ga[i], &gs), vr = wnn_get_stats(c->va[i], &vs);

	snprintf(what, sizeof(what), "agent %u get_stats return", i);
	SAME(what, gr, vr);
	snprintf(what, sizeof(what), "agent %u entry count", i);
	SAME(what, gs.entries, vs.entries);
	for (uint32_t r = 0; r < gs.entries; r++) {
		uint64_t gx = 0, gy = 0, vx = 0, vy = 0;
		gr = wnn_read_entry(c->ga[i], r, &gx, &gy);
		vr = wnn_read_entry(c->va[i], r, &vx, &vy);
		snprintf(what, sizeof(what), "agent %u read_entry(%u) return", i, r);
		SAME(what, gr, vr);
		snprintf(what, sizeof(what), "agent %u entry %u x", i, r);
		SAME(what, gx, vx);
		snprintf(what, sizeof(what), "agent %u entry %u y", i, r);
		SAME(what, gy, vy);
	}
	return 0;
}

static void close_episode(cosim *c)
{
	wnn_ctx_close(c->g);
	wnn_ctx_close(c->v);
	c->g = c->v = NULL;
	memset(c->ga, 0, sizeof(c->ga));
	memset(c->va, 0, sizeof(c->va));
	c->n_agents = 0;
}

static uint64_t agent_seed(cosim *c)
{
	return below(c, 8) == 0 ? 0 : rnd(c); /* seed 0 takes §4.3's substitute */
}

/* Creates agent i on both sides with the episode's configuration and the given seed. */
static int create_agent(cosim *c, unsigned i, uint64_t seed)
{
	wnn_config cfg = c->cfg;
	int gr, vr;

	cfg.seed = seed;
	gr = wnn_agent_create(c->g, &cfg, &c->ga[i]);
	vr = wnn_agent_create(c->v, &cfg, &c->va[i]);
	if (gr || vr) {
		fprintf(stderr, "cosim: creating agent %u: golden %s (%s), verilator %s (%s)\n", i,
			wnn_strerror(gr), wnn_ctx_errmsg(c->g), wnn_strerror(vr),
			wnn_ctx_errmsg(c->v));
		return mismatch(c, "agent_create return", (uint64_t)gr, (uint64_t)vr);
	}
	return 0;
}

static int expect_err(cosim *c, const char *what, int got, int want)
{
	if (got == want)
		return 0;
	fprintf(stderr, "cosim: %s: expected %s, got %s (%s)\n", what, wnn_strerror(want),
		wnn_strerror(got), wnn_ctx_errmsg(c->v));
	return mismatch(c, what, (uint64_t)want, (uint64_t)got);
}

/* The driver refuses what the synthesised device cannot hold, and extra or different agents. */
static int check_refusals(cosim *c)
{
	wnn_config bad = c->cfg;
	wnn_agent *a = NULL;
	int r;

	snprintf(c->op_text, sizeof(c->op_text), "refusals");
	bad.capacity = c->dev.depth + 1u;
	r = wnn_agent_create(c->v, &bad, &a);
	if ((r = expect_err(c, "capacity above DEPTH", r, WNN_ERR_UNSUPPORTED)))
		return r;
	if (c->dev.in_w < WNN_MAX_BITS) {
		bad = c->cfg;
		bad.in_bits = c->dev.in_w + 1u;
		bad.connectivity = WNN_CONN_FULL;
		r = wnn_agent_create(c->v, &bad, &a);
		if ((r = expect_err(c, "input wider than IN_W", r, WNN_ERR_UNSUPPORTED)))
			return r;
	}
	bad = c->cfg;
	bad.threshold = c->cfg.threshold == 3 ? 4 : 3;
	r = wnn_agent_create(c->v, &bad, &a);
	if ((r = expect_err(c, "configuration differing from the open agents'", r,
			    WNN_ERR_UNSUPPORTED)))
		return r;
	if (c->n_agents == c->dev.slots) {
		r = wnn_agent_create(c->v, &c->cfg, &a);
		if ((r = expect_err(c, "agent beyond the device's slots", r, WNN_ERR_NO_SLOT)))
			return r;
	}
	return 0;
}

typedef struct config_family {
	const char *name;
	int (*fits)(const device_params *d);
	void (*base)(cosim *c, wnn_config *cfg);
} config_family;

static int fits_p1(const device_params *d)
{
	return d->lanes == 1 && d->in_w >= 26 && d->out_w >= 10;
}

static int fits_p8(const device_params *d)
{
	return d->lanes == 8 && d->in_w >= 26 && d->out_w >= 10;
}

/* The paper's agent on a device wider than it: the core must mask what the agent does not use. */
static int fits_wide(const device_params *d)
{
	return d->in_w > 26 && d->out_w > 10;
}

static int fits_r64(const device_params *d)
{
	return d->in_w >= 64 && d->out_w >= 64 && d->groups >= 128;
}

static void base_paper(cosim *c, wnn_config *cfg)
{
	(void)c;
	wnn_config_default(cfg); /* §11: 26 in {10,10,3,3}, 10 out, forward_forward, recurrent */
}

static void base_random64(cosim *c, wnn_config *cfg)
{
	static const uint32_t ks[] = {1, 2, 3, 4, 6, 8, 12, 16};

	wnn_config_default(cfg);
	cfg->in_bits = 64;
	cfg->out_bits = 64;
	cfg->connectivity = WNN_CONN_RANDOM;
	cfg->random_k = ks[below(c, 8)];
	cfg->conn_seed = rnd(c);
	cfg->recurrent = below(c, 4) != 0;
}

static const config_family families[] = {
    {"paper-p1", fits_p1, base_paper},
    {"paper-p8", fits_p8, base_paper},
    {"random64", fits_r64, base_random64},
    {"paper-wide", fits_wide, base_paper},
};

/* One episode's variant of the family's configuration (everything the device supports). */
static void make_variant(cosim *c, const config_family *f)
{
	static const uint32_t caps[] = {1, 2, 3, 5, 8, 13, 16, 24, 32};
	wnn_config *cfg = &c->cfg;

	f->base(c, cfg);
	cfg->tie = below(c, 2) ? WNN_TIE_RANDOM : WNN_TIE_ZERO;
	cfg->reset = below(c, 2) ? WNN_RESET_RANDOM : WNN_RESET_ZERO;
	cfg->overflow = below(c, 2) ? WNN_OVERFLOW_EVICT : WNN_OVERFLOW_REJECT;
	cfg->threshold = below(c, 2) ? WNN_NO_THRESHOLD : below(c, cfg->in_bits + cfg->out_bits);
	cfg->settle_steps = below(c, 20) == 0 ? 255u : 1u + below(c, 8);
	/* Mostly small memories (overflow happens, comparing all of it stays cheap); sometimes the
	 * whole slot, so the ring wraps at the device's depth. */
	cfg->capacity = below(c, 12) == 0 ? c->dev.depth : caps[below(c, 9)];
	if (cfg->capacity > c->dev.depth)
		cfg->capacity = c->dev.depth;
	if (f->base == base_paper) {
		uint32_t k = below(c, 20);
		if (k < 5)
			cfg->recurrent = 0;
		if (k >= 12 && k < 17) { /* 36 groups: several passes of the search units */
			cfg->connectivity = WNN_CONN_RANDOM;
			cfg->random_k = 1 + below(c, 10);
			cfg->conn_seed = rnd(c);
		} else if (k >= 17) {
			cfg->connectivity = WNN_CONN_FULL;
		}
	}
}

static uint64_t pick_x(cosim *c)
{
	uint64_t m = mask_bits(c->cfg.in_bits);
	uint32_t k = below(c, 8);

	if (k < 5)
		return c->pool[below(c, POOL)] & m;
	if (k == 5)
		return 0;
	return rnd(c) & m;
}

static uint64_t pick_y(cosim *c)
{
	uint32_t out = c->cfg.out_bits;

	if (below(c, 2)) /* a thermometer label, as MovieLens uses (§11) */
		return mask_bits(below(c, out + 1));
	return rnd(c) & mask_bits(out);
}

static void record_cycles(cosim *c, enum op op, unsigned i)
{
	wnn_stats st;
	cycle_stat *s = &c->cycles[op];

	if (wnn_get_stats(c->va[i], &st) || !st.last_cycles)
		return;
	if (!s->n || st.last_cycles < s->min)
		s->min = st.last_cycles;
	if (st.last_cycles > s->max)
		s->max = st.last_cycles;
	s->n++;
	s->sum += st.last_cycles;
}

/* One random operation on agent i, on both sides; returns 0, or -1 after printing a mismatch. */
static int one_op(cosim *c, unsigned i, enum op op, int *memory_changed)
{
	uint64_t x = pick_x(c), y, gz = 0, vz = 0, gq = 0, vq = 0, gx, gy, vx, vy;
	wnn_stats gs, vs;
	uint32_t rank;
	int gr = 0, vr = 0, e;

	*memory_changed = 0;
	switch (op) {
	case OP_TRAIN:
		y = pick_y(c);
		snprintf(c->op_text, sizeof(c->op_text),
			 "agent %u train(x=0x%" PRIx64 ", y=0x%" PRIx64 ")", i, x, y);
		gr = wnn_train(c->ga[i], x, y);
		vr = wnn_train(c->va[i], x, y);
		*memory_changed = 1;
		c->full_rejects += gr == WNN_ERR_FULL;
		break;
	case OP_PREDICT:
		snprintf(c->op_text, sizeof(c->op_text), "agent %u predict(x=0x%" PRIx64 ")", i, x);
		gr = wnn_predict(c->ga[i], x, &gz);
		vr = wnn_predict(c->va[i], x, &vz);
		if (!gr && !vr)
			SAME("predict z", gz, vz);
		break;
	case OP_STEP:
		snprintf(c->op_text, sizeof(c->op_text), "agent %u step(x=0x%" PRIx64 ")", i, x);
		gr = wnn_step(c->ga[i], x, &gq, &gz);
		vr = wnn_step(c->va[i], x, &vq, &vz);
		if (!gr && !vr) {
			SAME("step q", gq, vq);
			SAME("step z", gz, vz);
		}
		break;
	case OP_RESET:
		snprintf(c->op_text, sizeof(c->op_text), "agent %u reset_state", i);
		gr = wnn_reset_state(c->ga[i]);
		vr = wnn_reset_state(c->va[i]);
		break;
	case OP_FORGET_ENTRY:
		wnn_get_stats(c->ga[i], &gs);
		rank = below(c, 4) == 0 ? gs.entries + below(c, 3) : below(c, gs.entries + 1);
		if (below(c, 30) == 0)
			rank = UINT32_MAX - below(c, 2);
		c->bad_ranks += rank >= gs.entries;
		snprintf(c->op_text, sizeof(c->op_text), "agent %u forget_entry(rank=%u of %u)", i,
			 rank, gs.entries);
		gr = wnn_forget_entry(c->ga[i], rank);
		vr = wnn_forget_entry(c->va[i], rank);
		*memory_changed = 1;
		break;
	case OP_FORGET_INPUT:
		snprintf(c->op_text, sizeof(c->op_text), "agent %u forget_input(x=0x%" PRIx64 ")",
			 i, x);
		gr = wnn_forget_input(c->ga[i], x);
		vr = wnn_forget_input(c->va[i], x);
		*memory_changed = 1;
		break;
	case OP_CLEAR:
		snprintf(c->op_text, sizeof(c->op_text), "agent %u clear", i);
		gr = wnn_clear(c->ga[i]);
		vr = wnn_clear(c->va[i]);
		*memory_changed = 1;
		break;
	case OP_READ_ENTRY:
		wnn_get_stats(c->ga[i], &gs);
		rank = below(c, 5) == 0 ? gs.entries + below(c, 2) : below(c, gs.entries + 1);
		c->bad_ranks += rank >= gs.entries;
		snprintf(c->op_text, sizeof(c->op_text), "agent %u read_entry(rank=%u of %u)", i,
			 rank, gs.entries);
		gx = gy = vx = vy = 0;
		gr = wnn_read_entry(c->ga[i], rank, &gx, &gy);
		vr = wnn_read_entry(c->va[i], rank, &vx, &vy);
		if (!gr && !vr) {
			SAME("read_entry x", gx, vx);
			SAME("read_entry y", gy, vy);
		}
		break;
	case OP_STATS:
		snprintf(c->op_text, sizeof(c->op_text), "agent %u get_stats", i);
		gr = wnn_get_stats(c->ga[i], &gs);
		vr = wnn_get_stats(c->va[i], &vs);
		if (!gr && !vr) {
			SAME("stats entries", gs.entries, vs.entries);
			SAME("stats capacity", gs.capacity, vs.capacity);
			SAME("stats trains", gs.trains, vs.trains);
			SAME("stats predictions", gs.predictions, vs.predictions);
			SAME("stats evictions", gs.evictions, vs.evictions);
		}
		break;
	case OP_RELOAD: {
		/* save, free, load: WRITE_STATE and a refill of the slot through the public API */
		char gpath[64], vpath[64];
		snprintf(c->op_text, sizeof(c->op_text), "agent %u save+free+load", i);
		snprintf(gpath, sizeof(gpath), "/tmp/cosim-%ld-g.wnna", (long)getpid());
		snprintf(vpath, sizeof(vpath), "/tmp/cosim-%ld-v.wnna", (long)getpid());
		gr = wnn_agent_save(c->ga[i], gpath);
		vr = wnn_agent_save(c->va[i], vpath);
		SAME("agent_save return", gr, vr);
		if (!gr) {
			wnn_agent_free(c->ga[i]);
			wnn_agent_free(c->va[i]);
			c->ga[i] = c->va[i] = NULL;
			gr = wnn_agent_load(c->g, gpath, &c->ga[i]);
			vr = wnn_agent_load(c->v, vpath, &c->va[i]);
			if (gr || vr) {
				fprintf(stderr, "cosim: reload: %s / %s\n", wnn_ctx_errmsg(c->g),
					wnn_ctx_errmsg(c->v));
				return mismatch(c, "agent_load return", (uint64_t)gr, (uint64_t)vr);
			}
		}
		remove(gpath);
		remove(vpath);
		*memory_changed = 1;
		break;
	}
	case OP_RECREATE:
		snprintf(c->op_text, sizeof(c->op_text), "agent %u free+create", i);
		wnn_agent_free(c->ga[i]);
		wnn_agent_free(c->va[i]);
		c->ga[i] = c->va[i] = NULL;
		if ((e = create_agent(c, i, agent_seed(c))))
			return e;
		*memory_changed = 1;
		break;
	case OP_BAD_INPUT:
		if (c->cfg.in_bits >= 64)
			return one_op(c, i, OP_PREDICT, memory_changed);
		x = mask_bits(c->cfg.in_bits) + 1u;
		snprintf(c->op_text, sizeof(c->op_text),
			 "agent %u predict(x=0x%" PRIx64 ") too wide", i, x);
		gr = wnn_predict(c->ga[i], x, &gz);
		vr = wnn_predict(c->va[i], x, &vz);
		break;
	default:
		break;
	}
	SAME("return code", gr, vr);
	if (op <= OP_CLEAR && !vr)
		record_cycles(c, op, i);
	return 0;
}

static enum op pick_op(cosim *c)
{
	unsigned total = 0, k;

	for (unsigned o = 0; o < OP_COUNT; o++)
		total += op_weight[o];
	k = below(c, total);
	for (unsigned o = 0; o < OP_COUNT; o++) {
		if (k < op_weight[o])
			return (enum op)o;
		k -= op_weight[o];
	}
	return OP_TRAIN;
}

static int open_contexts(cosim *c)
{
	char err[256];
	char spec[300];
	int r;

	snprintf(spec, sizeof(spec), "verilator%s%s", c->trace ? ":" : "",
		 c->trace ? c->trace : "");
	r = wnn_ctx_open(&c->g, "golden", err, sizeof(err));
	if (!r)
		r = wnn_ctx_open(&c->v, spec, err, sizeof(err));
	if (r) {
		fprintf(stderr, "cosim: cannot open a context: %s\n", err);
		return -2;
	}
	return 0;
}

static int run_episode(cosim *c, const config_family *f, uint64_t ops)
{
	struct timespec t0;
	int r, changed;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	make_variant(c, f);
	for (unsigned p = 0; p < POOL; p++)
		c->pool[p] = rnd(c);
	if ((r = open_contexts(c)))
		return r;
	c->n_agents = 1 + below(c, c->dev.slots < MAX_AGENTS ? c->dev.slots : MAX_AGENTS);
	snprintf(c->op_text, sizeof(c->op_text), "create %u agents", c->n_agents);
	for (unsigned i = 0; i < c->n_agents; i++)
		if ((r = create_agent(c, i, agent_seed(c))))
			return r;
	if ((r = check_refusals(c)))
		return r;
	c->n_agents_last = c->n_agents;
	for (unsigned i = 0; i < c->n_agents; i++)
		if ((r = compare_state(c, i)) || (r = compare_memory(c, i)))
			return r;
	for (uint64_t n = 0; n < ops; n++) {
		unsigned i = below(c, c->n_agents);
		enum op op = pick_op(c);
		c->op_index++;
		c->op_count[op]++;
		c->slot_switches += (int)i != c->last_agent;
		c->last_agent = (int)i;
		if ((r = one_op(c, i, op, &changed)))
			return r;
		for (unsigned a = 0; a < c->n_agents; a++)
			if ((r = compare_state(c, a)))
				return r;
		for (unsigned a = 0; a < c->n_agents; a++)
			if ((a == i || changed) && (r = compare_memory(c, a)))
				return r;
	}
	close_episode(c);
	if (c->verbose) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		printf("cosim: episode %u: conn %u, %u agents, capacity %u, settle %u, threshold "
		       "%u, tie %s, "
		       "reset %s, overflow %s, recurrent %u: %" PRIu64 " ops in %.2f s\n",
		       c->episode, (unsigned)c->cfg.connectivity, c->n_agents_last, c->cfg.capacity,
		       c->cfg.settle_steps, c->cfg.threshold,
		       c->cfg.tie == WNN_TIE_ZERO ? "zero" : "random",
		       c->cfg.reset == WNN_RESET_ZERO ? "zero" : "random",
		       c->cfg.overflow == WNN_OVERFLOW_EVICT ? "evict" : "reject", c->cfg.recurrent,
		       ops,
		       (double)(now.tv_sec - t0.tv_sec) +
			   1e-9 * (double)(now.tv_nsec - t0.tv_nsec));
	}
	return 0;
}

static int read_params(device_params *d)
{
	wnn_sim *sim = wnn_sim_open(NULL);
	uint32_t p = 0, p2 = 0;
	int r;

	if (!sim)
		return -1;
	r = wnn_sim_read32(sim, WNN_REG_PARAMS, &p);
	if (!r)
		r = wnn_sim_read32(sim, WNN_REG_PARAMS2, &p2);
	wnn_sim_close(sim);
	d->in_w = WNN_PARAMS_IN_W_GET(p);
	d->out_w = WNN_PARAMS_OUT_W_GET(p);
	d->lanes = WNN_PARAMS_LANES_GET(p);
	d->units = WNN_PARAMS_UNITS_GET(p);
	d->slots = WNN_PARAMS2_SLOTS_GET(p2);
	d->depth = 1u << WNN_PARAMS2_DEPTH_LOG2_GET(p2);
	d->groups = WNN_PARAMS2_GROUPS_GET(p2);
	return r;
}

/* Cycles of TRAIN, PREDICT and STEP on the paper's agent as the memory fills. */
static int cycle_table(cosim *c)
{
	static const uint32_t points[] = {0, 1, 8, 32, 64, 128, 256, 1024};
	wnn_agent *a;
	wnn_config cfg;
	uint32_t have = 0;
	int r;

	wnn_config_default(&cfg);
	if (cfg.in_bits > c->dev.in_w) {
		cfg.in_bits = c->dev.in_w < 20 ? c->dev.in_w : 20;
		cfg.n_channels = 1;
		cfg.channel_bits[0] = (uint8_t)cfg.in_bits;
	}
	cfg.capacity = c->dev.depth;
	if ((r = open_contexts(c)) || (r = wnn_agent_create(c->v, &cfg, &a))) {
		fprintf(stderr, "cosim: %s\n", c->v ? wnn_ctx_errmsg(c->v) : "no context");
		return 2;
	}
	printf("cycles, paper agent (settle %u), build %s (LANES=%u UNITS=%u):\n", cfg.settle_steps,
	       wnn_sim_build(), c->dev.lanes, c->dev.units);
	printf("%8s %8s %8s %8s\n", "entries", "TRAIN", "PREDICT", "STEP");
	for (unsigned k = 0; k < sizeof(points) / sizeof(points[0]); k++) {
		uint64_t cyc[3] = {0, 0, 0}, z, x = rnd(c) & mask_bits(cfg.in_bits);
		wnn_stats st;
		if (points[k] > cfg.capacity)
			break;
		while (have + 1 < points[k]) {
			wnn_train(a, rnd(c) & mask_bits(cfg.in_bits),
				  rnd(c) & mask_bits(cfg.out_bits));
			have++;
		}
		if (points[k]) {
			wnn_train(a, x, rnd(c) & mask_bits(cfg.out_bits));
			have++;
			wnn_get_stats(a, &st);
			cyc[0] = st.last_cycles;
		}
		wnn_predict(a, x, &z);
		wnn_get_stats(a, &st);
		cyc[1] = st.last_cycles;
		wnn_step(a, x, NULL, NULL);
		wnn_get_stats(a, &st);
		cyc[2] = st.last_cycles;
		if (points[k])
			printf("%8u %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n", have, cyc[0], cyc[1],
			       cyc[2]);
		else
			printf("%8u %8s %8" PRIu64 " %8" PRIu64 "\n", have, "-", cyc[1], cyc[2]);
	}
	close_episode(c);
	return 0;
}

static void report(const cosim *c)
{
	printf("cosim: %" PRIu64 " operations matched (%u episodes, %" PRIu64
	       " slot switches, %" PRIu64 " bad ranks, %" PRIu64 " full rejects)\n",
	       c->op_index, c->episode, c->slot_switches, c->bad_ranks, c->full_rejects);
	printf("%14s %10s %10s %10s %10s\n", "op", "count", "cyc min", "cyc mean", "cyc max");
	for (unsigned o = 0; o < OP_COUNT; o++) {
		const cycle_stat *s = &c->cycles[o];
		if (s->n)
			printf("%14s %10" PRIu64 " %10" PRIu64 " %10.1f %10" PRIu64 "\n",
			       op_names[o], c->op_count[o], s->min, (double)s->sum / (double)s->n,
			       s->max);
		else
			printf("%14s %10" PRIu64 " %10s %10s %10s\n", op_names[o], c->op_count[o],
			       "-", "-", "-");
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: cosim [--seed S] [--ops N] [--config paper-p1|paper-p8|random64|"
			"paper-wide|all]"
			" [--trace FILE] [--verbose] | --cycles\n");
}

int main(int argc, char **argv)
{
	cosim *c = calloc(1, sizeof(*c));
	const char *config = "all";
	int cycles = 0, ran = 0, r = 0;

	if (!c)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	c->seed = 1;
	c->ops_total = 10000;
	c->last_agent = -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			c->seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
			c->ops_total = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strcmp(argv[i], "--trace") && i + 1 < argc)
			c->trace = argv[++i];
		else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			c->verbose = 1;
		else if (!strcmp(argv[i], "--cycles"))
			cycles = 1;
		else {
			usage();
			free(c);
			return 2;
		}
	}
	c->rng = c->seed;
	if (read_params(&c->dev)) {
		fprintf(stderr, "cosim: cannot read the device parameters\n");
		free(c);
		return 2;
	}
	printf("cosim: build %s: IN_W=%u OUT_W=%u LANES=%u UNITS=%u SLOTS=%u DEPTH=%u GROUPS=%u; "
	       "seed %" PRIu64 ", %" PRIu64 " ops, config %s\n",
	       wnn_sim_build(), c->dev.in_w, c->dev.out_w, c->dev.lanes, c->dev.units, c->dev.slots,
	       c->dev.depth, c->dev.groups, c->seed, c->ops_total, config);
	if (cycles) {
		r = cycle_table(c);
		free(c);
		return r;
	}
	for (unsigned f = 0; f < sizeof(families) / sizeof(families[0]) && !r; f++) {
		const config_family *fam = &families[f];
		if (strcmp(config, "all") && strcmp(config, fam->name))
			continue;
		if (!fam->fits(&c->dev)) {
			if (strcmp(config, "all")) {
				fprintf(stderr, "cosim: config %s needs another build than %s\n",
					fam->name, wnn_sim_build());
				free(c);
				return 2;
			}
			continue;
		}
		ran++;
		c->config_name = fam->name;
		for (uint64_t done = 0; done < c->ops_total && !r;) {
			uint64_t n =
			    c->ops_total - done < EPISODE_OPS ? c->ops_total - done : EPISODE_OPS;
			c->episode++;
			r = run_episode(c, fam, n);
			done += n;
		}
	}
	if (!r && !ran) {
		fprintf(stderr, "cosim: no configuration '%s' fits build %s\n", config,
			wnn_sim_build());
		r = -2;
	}
	if (!r)
		report(c);
	if (r != -2) /* the closing line test runners read */
		printf("cosim: %" PRIu64 " passed, %d failed\n",
		       r && c->op_index ? c->op_index - 1 : c->op_index, r ? 1 : 0);
	close_episode(c);
	free(c);
	return r == 0 ? 0 : r == -2 ? 2 : 1;
}
