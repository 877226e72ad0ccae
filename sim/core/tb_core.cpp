// SPDX-License-Identifier: MIT
// tb_core.cpp - random co-simulation of wnn_core against the C golden model (docs/algorithm.md).
//
// Usage: Vwnn_core [seed] [ops]      (defaults: a time-based seed, 100000 ops)
// For each random configuration the test programs the group table and the configuration inputs,
// initialises every slot, then runs random operations on random slots. After every operation it
// compares status, results, state (q, z, prng), count and every stored entry (READ_ENTRY of each
// rank) with the model, and stops at the first difference. It also checks the cycle bars: TRAIN
// <= 2 cycles, a one-pass STEP <= ceil(count / LANES) + 8 cycles.
// The core's parameters come in as P_* macros (see Makefile).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "Vwnn_core.h"
#include "verilated.h"

extern "C" {
#include "wnn_model.h"
}

#ifndef P_IN_W
#define P_IN_W 26
#endif
#ifndef P_OUT_W
#define P_OUT_W 10
#endif
#ifndef P_LANES
#define P_LANES 1
#endif
#ifndef P_UNITS
#define P_UNITS 8
#endif
#ifndef P_SLOTS
#define P_SLOTS 4
#endif
#ifndef P_DEPTH
#define P_DEPTH 256
#endif
#ifndef P_GROUPS
#define P_GROUPS 64
#endif

enum {
	OP_NOP = 0,
	OP_TRAIN,
	OP_PREDICT,
	OP_STEP,
	OP_RESET_STATE,
	OP_FORGET_ENTRY,
	OP_FORGET_INPUT,
	OP_CLEAR,
	OP_READ_ENTRY,
	OP_INIT_SLOT,
	OP_READ_STATE,
	OP_WRITE_STATE,
	OP_COUNT_ = 12
};
static const char *op_name(unsigned op)
{
	static const char *names[] = {"NOP", "TRAIN", "PREDICT", "STEP", "RESET_STATE",
				      "FORGET_ENTRY", "FORGET_INPUT", "CLEAR", "READ_ENTRY",
				      "INIT_SLOT", "READ_STATE", "WRITE_STATE"};
	return op < OP_COUNT_ ? names[op] : "BAD_OP";
}
enum { ST_OK = 0, ST_FULL = 1, ST_RANGE = 2, ST_BAD_OP = 3, ST_BAD_CONFIG = 4 };

// ------------------------------------------------------------------ random numbers
static uint64_t rng_state;
static uint64_t rnd64()
{
	// splitmix64
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}
static uint32_t rnd(uint32_t n) // 0..n-1
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}
static bool chance(uint32_t percent)
{
	return rnd(100) < percent;
}

// ------------------------------------------------------------------ the DUT
struct Result {
	unsigned status, evicted;
	uint64_t x, y, q, z, prng;
	uint32_t count, removed;
	uint64_t cycles;
};

struct Dut {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vwnn_core> top;
	uint64_t cycle = 0;

	Dut()
	{
		ctx.reset(new VerilatedContext);
		top.reset(new Vwnn_core{ctx.get()});
		top->clk_i = 0;
		top->rst_i = 1;
		top->cmd_valid_i = 0;
		top->grp_we_i = 0;
		top->eval();
		for (int i = 0; i < 4; i++)
			tick();
		top->rst_i = 0;
		tick();
	}
	~Dut()
	{
		top->final();
	}
	void tick()
	{
		top->clk_i = 0;
		top->eval();
		top->clk_i = 1;
		top->eval();
		top->clk_i = 0;
		top->eval();
		cycle++;
	}
	void wait_ready()
	{
		for (int i = 0; !top->cmd_ready_o; i++) {
			if (i > 100000) {
				fprintf(stderr, "FAIL: cmd_ready_o stuck low\n");
				exit(1);
			}
			tick();
		}
	}
	Result cmd(unsigned op, unsigned slot, uint32_t rank = 0, uint64_t x = 0, uint64_t y = 0,
		   uint64_t q = 0, uint64_t z = 0, uint64_t prng = 0)
	{
		Result r;
		wait_ready();
		top->cmd_valid_i = 1;
		top->cmd_op_i = op;
		top->cmd_slot_i = slot;
		top->cmd_rank_i = rank;
		top->cmd_x_i = x;
		top->cmd_y_i = y;
		top->cmd_q_i = q;
		top->cmd_z_i = z;
		top->cmd_prng_i = prng;
		tick(); // accepted at this edge
		top->cmd_valid_i = 0; // the operands stay until done_o (wnn_core's contract)
		r.cycles = 0;
		do {
			tick();
			r.cycles++;
			if (r.cycles > 50000000) {
				fprintf(stderr, "FAIL: no done_o for %s\n", op_name(op));
				exit(1);
			}
		} while (!top->done_o);
		// free to change from here on: the results must not follow them
		top->cmd_op_i = rnd(16);
		top->cmd_slot_i = rnd(P_SLOTS);
		top->cmd_rank_i = (uint32_t)rnd64();
		top->cmd_x_i = rnd64();
		top->cmd_y_i = rnd64();
		top->cmd_q_i = rnd64();
		top->cmd_z_i = rnd64();
		top->cmd_prng_i = rnd64();
		top->eval();
		r.status = top->status_o;
		r.evicted = top->evicted_o;
		r.x = top->res_x_o;
		r.y = top->res_y_o;
		r.q = top->res_q_o;
		r.z = top->res_z_o;
		r.prng = top->res_prng_o;
		r.count = top->res_count_o;
		r.removed = top->res_removed_o;
		return r;
	}
};

// ------------------------------------------------------------------ test state
static uint64_t g_seed;
static uint64_t g_opno;
static unsigned g_cfgno;
static std::string g_opdesc;

struct Stats {
	uint64_t n = 0, max_cycles = 0, sum_cycles = 0;
};
static Stats stats[16];
static uint64_t max_step_over = 0;   // one-pass STEP: cycles - ceil(count / LANES)
static uint64_t max_step_over_mp = 0;
static uint64_t n_full = 0, n_evict = 0, n_range = 0, n_removed = 0, n_badcfg = 0;
static uint64_t n_multipass_steps = 0;
static uint32_t max_count = 0;

[[noreturn]] static void fail(const char *what, uint64_t expect, uint64_t got)
{
	fprintf(stderr,
		"FAIL: %s: expected 0x%" PRIx64 " got 0x%" PRIx64 "\n  op #%" PRIu64
		" (config #%u): %s\n  seed %" PRIu64 " (rerun: Vwnn_core %" PRIu64 ")\n",
		what, expect, got, g_opno, g_cfgno, g_opdesc.c_str(), g_seed, g_seed);
	exit(1);
}
static void check(const char *what, uint64_t expect, uint64_t got)
{
	if (expect != got)
		fail(what, expect, got);
}

struct Config {
	wnn_config cfg;
	wnn_group groups[WNN_MAX_GROUPS];
	uint32_t n_groups;
};

static bool make_config(Config &c)
{
	wnn_config *cfg = &c.cfg;
	wnn_config_default(cfg);
	cfg->in_bits = chance(60) ? P_IN_W : 1 + rnd(P_IN_W);
	cfg->out_bits = chance(60) ? P_OUT_W : 1 + rnd(P_OUT_W);
	cfg->recurrent = chance(75) ? 1 : 0;
	uint32_t pick = rnd(100);
	if (pick < 25) {
		cfg->connectivity = WNN_CONN_FULL;
	} else if (pick < 60) {
		cfg->connectivity = WNN_CONN_FORWARD_FORWARD;
		uint32_t maxch = cfg->in_bits < (P_GROUPS - 1) ? cfg->in_bits : (P_GROUPS - 1);
		if (maxch > 64)
			maxch = 64;
		uint32_t nch = chance(70) ? 1 + rnd(maxch < 6 ? maxch : 6) : 1 + rnd(maxch);
		// random composition of in_bits into nch positive parts
		std::vector<uint32_t> w(nch, 1);
		for (uint32_t left = cfg->in_bits - nch; left; left--)
			w[rnd(nch)]++;
		cfg->n_channels = nch;
		for (uint32_t i = 0; i < nch; i++)
			cfg->channel_bits[i] = (uint8_t)w[i];
	} else {
		cfg->connectivity = WNN_CONN_RANDOM;
		uint32_t q_src = cfg->recurrent ? 2 * cfg->in_bits : cfg->in_bits;
		uint32_t z_src = cfg->recurrent ? cfg->in_bits + cfg->out_bits : cfg->in_bits;
		uint32_t kmax = q_src < z_src ? q_src : z_src;
		if (kmax > 12)
			kmax = 12;
		cfg->random_k = 1 + rnd(kmax);
		cfg->conn_seed = rnd64();
	}
	static const uint32_t caps[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 24, 31, 32, 33, 50, 64, 100, 255, 256, 1000, 4096};
	do {
		cfg->capacity = chance(8) ? P_DEPTH : caps[rnd(sizeof(caps) / sizeof(caps[0]))];
	} while (cfg->capacity > P_DEPTH);
	cfg->settle_steps = chance(90) ? 1 + rnd(5) : 1 + rnd(16);
	cfg->threshold = chance(55) ? WNN_NO_THRESHOLD : rnd(chance(50) ? 6 : 2 * P_IN_W + P_OUT_W + 2);
	cfg->tie = chance(50) ? WNN_TIE_RANDOM : WNN_TIE_ZERO;
	cfg->reset = chance(50) ? WNN_RESET_RANDOM : WNN_RESET_ZERO;
	cfg->overflow = chance(50) ? WNN_OVERFLOW_REJECT : WNN_OVERFLOW_EVICT;
	cfg->seed = 1;
	if (wnn_compile_groups(cfg, c.groups, &c.n_groups))
		return false;
	return c.n_groups >= 1 && c.n_groups <= P_GROUPS && c.n_groups <= 255;
}

static const char *conn_name(unsigned c)
{
	return c == WNN_CONN_FULL ? "full" : c == WNN_CONN_FORWARD_FORWARD ? "forward_forward" : "random";
}

static void program(Dut &d, const Config &c)
{
	Vwnn_core *t = d.top.get();
	d.wait_ready();
	t->cfg_in_bits_i = c.cfg.in_bits;
	t->cfg_out_bits_i = c.cfg.out_bits;
	t->cfg_tie_zero_i = c.cfg.tie == WNN_TIE_ZERO;
	t->cfg_reset_random_i = c.cfg.reset == WNN_RESET_RANDOM;
	t->cfg_evict_i = c.cfg.overflow == WNN_OVERFLOW_EVICT;
	t->cfg_settle_i = c.cfg.settle_steps;
	t->cfg_threshold_i = c.cfg.threshold;
	t->cfg_capacity_i = c.cfg.capacity;
	t->cfg_n_groups_i = c.n_groups;
	// the rows past n_groups hold junk: they must never be used
	uint32_t rows = chance(50) ? P_GROUPS : c.n_groups;
	for (uint32_t g = 0; g < rows; g++) {
		t->grp_we_i = 1;
		t->grp_addr_i = g;
		if (g < c.n_groups) {
			t->grp_layer_i = c.groups[g].layer;
			t->grp_mask_a_i = c.groups[g].mask_a;
			t->grp_mask_b_i = c.groups[g].mask_b;
			t->grp_members_i = c.groups[g].members;
		} else {
			t->grp_layer_i = rnd(2);
			t->grp_mask_a_i = rnd64() & wnn_bits_mask(P_IN_W);
			t->grp_mask_b_i = rnd64() & wnn_bits_mask(P_IN_W > P_OUT_W ? P_IN_W : P_OUT_W);
			t->grp_members_i = rnd64() & wnn_bits_mask(P_IN_W > P_OUT_W ? P_IN_W : P_OUT_W);
		}
		d.tick();
	}
	t->grp_we_i = 0;
}

// ------------------------------------------------------------------ model side
struct Slot {
	wnn_model m;
	bool live = false;
	uint32_t hw_base = 0; // the core's ring base (mod DEPTH), mirrored to predict cycle counts
};
static Slot slots[P_SLOTS];
static Config g_conf;

static void model_init_slot(unsigned s, uint64_t seed)
{
	if (slots[s].live)
		wnn_model_free(&slots[s].m);
	wnn_config cfg = g_conf.cfg;
	cfg.seed = seed;
	if (wnn_model_init(&slots[s].m, &cfg)) {
		fprintf(stderr, "model init failed\n");
		exit(1);
	}
	slots[s].live = true;
	slots[s].hw_base = 0;
}

// Documented cycle counts (wnn_core.v header). R = rows holding the entries; T = cycles from a
// pass's first row issue to its vote; P passes, the first already loaded; an empty scan waits a
// clock for the second tie word.
static uint64_t scan_cycles(unsigned s, uint32_t count)
{
	uint64_t rows = (slots[s].hw_base % P_LANES + count + P_LANES - 1) / P_LANES;
	return count ? rows + 4 : 1;
}
static uint64_t passes()
{
	return (g_conf.n_groups + P_UNITS - 1) / P_UNITS;
}
// An out-of-range rank whose low bits name a stored entry: one bit at or above log2(DEPTH) set,
// often one of the lowest such bits (the ones a too narrow range check would miss).
static uint32_t alias_rank(uint32_t count)
{
	unsigned pw = 0;
	while ((1u << pw) < (uint32_t)P_DEPTH)
		pw++;
	return (1u << (pw + (chance(50) ? rnd(3 < 32 - pw ? 3 : 32 - pw) : rnd(32 - pw)))) | rnd(count + 1);
}

static uint64_t step_cycles(unsigned s, uint32_t count)
{
	uint64_t t = scan_cycles(s, count);
	return t + (count == 0) + (passes() - 1) * (P_UNITS + 1 + t);
}

static void check_state(const Result &r, unsigned s)
{
	const wnn_model *m = &slots[s].m;
	check("res_q_o", m->q, r.q);
	check("res_z_o", m->z, r.z);
	check("res_prng_o", m->prng, r.prng);
	check("res_count_o", m->count, r.count);
}

static void check_memory(Dut &d, unsigned s)
{
	const wnn_model *m = &slots[s].m;
	if (m->count > max_count)
		max_count = m->count;
	for (uint32_t rank = 0; rank <= m->count; rank++) {
		Result r = d.cmd(OP_READ_ENTRY, s, rank);
		char what[64];
		if (rank == m->count) {
			snprintf(what, sizeof(what), "check READ_ENTRY rank %u (= count) status", rank);
			check(what, ST_RANGE, r.status);
			break;
		}
		uint64_t ex, ey;
		wnn_model_entry(m, rank, &ex, &ey);
		snprintf(what, sizeof(what), "check READ_ENTRY rank %u status", rank);
		check(what, ST_OK, r.status);
		snprintf(what, sizeof(what), "slot %u entry rank %u x", s, rank);
		check(what, ex, r.x);
		snprintf(what, sizeof(what), "slot %u entry rank %u y", s, rank);
		check(what, ey, r.y);
		check("check READ_ENTRY cycles", 2, r.cycles);
		check_state(r, s);
	}
}

static void record(unsigned op, const Result &r)
{
	Stats &st = stats[op < OP_COUNT_ ? op : 12];
	st.n++;
	st.sum_cycles += r.cycles;
	if (r.cycles > st.max_cycles)
		st.max_cycles = r.cycles;
}

// ------------------------------------------------------------------ main loop
int main(int argc, char **argv)
{
	g_seed = argc > 1 ? strtoull(argv[1], nullptr, 0) : (uint64_t)time(nullptr);
	uint64_t total_ops = argc > 2 ? strtoull(argv[2], nullptr, 0) : 100000;
	rng_state = g_seed;
	printf("tb_core: IN_W=%d OUT_W=%d LANES=%d UNITS=%d SLOTS=%d DEPTH=%d GROUPS=%d seed=%" PRIu64
	       " ops=%" PRIu64 "\n",
	       P_IN_W, P_OUT_W, P_LANES, P_UNITS, P_SLOTS, P_DEPTH, P_GROUPS, g_seed, total_ops);
	fflush(stdout);

	Dut d;
	uint64_t conn_count[3] = {0, 0, 0}, multipass_cfgs = 0;
	uint32_t max_groups = 0;

	while (g_opno < total_ops) {
		while (!make_config(g_conf)) {
		}
		g_cfgno++;
		conn_count[g_conf.cfg.connectivity]++;
		bool multipass = g_conf.n_groups > P_UNITS;
		multipass_cfgs += multipass;
		if (g_conf.n_groups > max_groups)
			max_groups = g_conf.n_groups;
		program(d, g_conf);
		for (unsigned s = 0; s < P_SLOTS; s++) {
			uint64_t seed = chance(10) ? 0 : rnd64();
			g_opdesc = "INIT_SLOT";
			Result r = d.cmd(OP_INIT_SLOT, s, 0, 0, 0, 0, 0, seed);
			model_init_slot(s, seed);
			check("INIT_SLOT status", ST_OK, r.status);
			check_state(r, s);
		}
		const wnn_config &cfg = g_conf.cfg;
		uint64_t in_mask = wnn_bits_mask(cfg.in_bits), out_mask = wnn_bits_mask(cfg.out_bits);
		// small pools of inputs and labels: duplicates, contradictions and near misses
		std::vector<uint64_t> xpool, ypool;
		unsigned nx = 2 + rnd(10), ny = 1 + rnd(4);
		for (unsigned i = 0; i < nx; i++) {
			if (i && chance(40)) { // a near miss, often in the edge bits
				uint32_t bit = chance(30) ? cfg.in_bits - 1 : chance(20) ? 0 : rnd(cfg.in_bits);
				xpool.push_back(xpool[rnd(i)] ^ (UINT64_C(1) << bit));
			}
			else
				xpool.push_back(rnd64() & in_mask);
		}
		for (unsigned i = 0; i < ny; i++)
			ypool.push_back(rnd64() & out_mask);
		auto pick_x = [&]() { return chance(88) ? xpool[rnd(nx)] : (rnd64() & in_mask); };
		auto pick_y = [&]() { return chance(85) ? ypool[rnd(ny)] : (rnd64() & out_mask); };

		uint64_t ops_this_cfg = 300 + rnd(3000);
		unsigned s = 0;
		uint32_t burst = 0; // TRAINs left in a burst that fills the slot (and overflows it)
		uint32_t train_w = 10 + rnd(35);
		for (uint64_t k = 0; k < ops_this_cfg && g_opno < total_ops; k++) {
			g_opno++;
			if (!burst && chance(25))
				s = rnd(P_SLOTS);
			wnn_model *m = &slots[s].m;
			if (!burst && chance(1))
				burst = rnd(cfg.capacity + 8);
			uint32_t w = burst ? 0 : rnd(100);
			unsigned op;
			if (burst) {
				burst--;
				op = OP_TRAIN;
			} else if (w < train_w)
				op = OP_TRAIN;
			else if (w < 50)
				op = OP_PREDICT;
			else if (w < 62)
				op = OP_STEP;
			else if (w < 65)
				op = OP_RESET_STATE;
			else if (w < 72)
				op = OP_FORGET_ENTRY;
			else if (w < 77)
				op = OP_FORGET_INPUT;
			else if (w < 78)
				op = OP_CLEAR;
			else if (w < 82)
				op = OP_READ_ENTRY;
			else if (w < 84)
				op = OP_INIT_SLOT;
			else if (w < 87)
				op = OP_READ_STATE;
			else if (w < 91)
				op = OP_WRITE_STATE;
			else if (w < 92)
				op = OP_NOP;
			else if (w < 93)
				op = 12 + rnd(4); // bad op
			else if (w < 94)
				op = 100; // bad configuration
			else
				op = OP_TRAIN;
			char desc[256];
			Result r;
			if (op == OP_TRAIN) {
				uint64_t x = pick_x(), y = pick_y();
				snprintf(desc, sizeof(desc), "TRAIN slot %u x=0x%" PRIx64 " y=0x%" PRIx64 " (count %u)", s, x, y, m->count);
				g_opdesc = desc;
				r = d.cmd(op, s, 0, x, y);
				int rc = wnn_model_train(m, x, y);
				if (rc == 1)
					slots[s].hw_base = (slots[s].hw_base + 1) % P_DEPTH;
				check("TRAIN status", rc == WNN_ERR_FULL ? ST_FULL : ST_OK, r.status);
				check("TRAIN evicted_o", rc == 1, r.evicted);
				n_full += rc == WNN_ERR_FULL;
				n_evict += rc == 1;
				if (r.cycles > 2)
					fail("TRAIN cycles > 2", 2, r.cycles);
				check("TRAIN cycles", 1, r.cycles);
			} else if (op == OP_PREDICT) {
				uint64_t x = pick_x();
				snprintf(desc, sizeof(desc), "PREDICT slot %u x=0x%" PRIx64 " (count %u)", s, x, m->count);
				g_opdesc = desc;
				r = d.cmd(op, s, 0, x);
				uint64_t z = wnn_model_predict(m, x);
				check("PREDICT status", ST_OK, r.status);
				check("PREDICT z", z, r.z);
				check("PREDICT cycles",
				      2 + cfg.settle_steps * step_cycles(s, m->count) +
					  (m->count == 0 && cfg.reset == WNN_RESET_RANDOM),
				      r.cycles);
			} else if (op == OP_STEP) {
				uint64_t x = pick_x();
				uint32_t cnt = m->count;
				snprintf(desc, sizeof(desc), "STEP slot %u x=0x%" PRIx64 " (count %u)", s, x, cnt);
				g_opdesc = desc;
				r = d.cmd(op, s, 0, x);
				wnn_model_step(m, x);
				check("STEP status", ST_OK, r.status);
				uint64_t rows = (cnt + P_LANES - 1) / P_LANES;
				uint64_t over = r.cycles - rows;
				check("STEP cycles", 1 + step_cycles(s, cnt), r.cycles);
				if (!multipass) {
					if (r.cycles > rows + 8)
						fail("one-pass STEP cycles > ceil(count/LANES)+8", rows + 8, r.cycles);
					if (over > max_step_over)
						max_step_over = over;
				} else {
					n_multipass_steps++;
					if (over > max_step_over_mp)
						max_step_over_mp = over;
				}
			} else if (op == OP_RESET_STATE) {
				snprintf(desc, sizeof(desc), "RESET_STATE slot %u", s);
				g_opdesc = desc;
				r = d.cmd(op, s);
				wnn_model_reset_state(m);
				check("RESET_STATE status", ST_OK, r.status);
			} else if (op == OP_FORGET_ENTRY) {
				uint32_t rank = chance(3) ? 0xFFFFFFFFu : chance(10) ? alias_rank(m->count) : rnd(m->count + 2);
				snprintf(desc, sizeof(desc), "FORGET_ENTRY slot %u rank %u (count %u)", s, rank, m->count);
				g_opdesc = desc;
				r = d.cmd(op, s, rank);
				check("FORGET_ENTRY cycles", rank < m->count ? m->count - rank + 2 : 1, r.cycles);
				int rc = wnn_model_forget_rank(m, rank);
				check("FORGET_ENTRY status", rc ? ST_RANGE : ST_OK, r.status);
				n_range += rc != 0;
			} else if (op == OP_FORGET_INPUT) {
				uint64_t x = pick_x();
				snprintf(desc, sizeof(desc), "FORGET_INPUT slot %u x=0x%" PRIx64 " (count %u)", s, x, m->count);
				g_opdesc = desc;
				r = d.cmd(op, s, 0, x);
				check("FORGET_INPUT cycles", m->count + 2, r.cycles);
				uint32_t removed = wnn_model_forget_input(m, x);
				check("FORGET_INPUT status", ST_OK, r.status);
				check("FORGET_INPUT removed", removed, r.removed);
				n_removed += removed;
			} else if (op == OP_CLEAR) {
				snprintf(desc, sizeof(desc), "CLEAR slot %u", s);
				g_opdesc = desc;
				r = d.cmd(op, s);
				wnn_model_clear(m);
				slots[s].hw_base = 0;
				check("CLEAR status", ST_OK, r.status);
			} else if (op == OP_READ_ENTRY) {
				uint32_t rank = chance(5) ? 0x80000000u + rnd(5) : chance(10) ? alias_rank(m->count) : rnd(m->count + 2);
				snprintf(desc, sizeof(desc), "READ_ENTRY slot %u rank %u (count %u)", s, rank, m->count);
				g_opdesc = desc;
				r = d.cmd(op, s, rank);
				if (rank < m->count) {
					uint64_t ex, ey;
					wnn_model_entry(m, rank, &ex, &ey);
					check("READ_ENTRY status", ST_OK, r.status);
					check("READ_ENTRY x", ex, r.x);
					check("READ_ENTRY y", ey, r.y);
				} else {
					check("READ_ENTRY status", ST_RANGE, r.status);
					n_range++;
				}
			} else if (op == OP_INIT_SLOT) {
				uint64_t seed = chance(10) ? 0 : rnd64();
				snprintf(desc, sizeof(desc), "INIT_SLOT slot %u seed=0x%" PRIx64, s, seed);
				g_opdesc = desc;
				r = d.cmd(op, s, 0, 0, 0, 0, 0, seed);
				model_init_slot(s, seed);
				m = &slots[s].m;
				check("INIT_SLOT status", ST_OK, r.status);
			} else if (op == OP_READ_STATE) {
				snprintf(desc, sizeof(desc), "READ_STATE slot %u", s);
				g_opdesc = desc;
				r = d.cmd(op, s);
				check("READ_STATE status", ST_OK, r.status);
			} else if (op == OP_WRITE_STATE) {
				uint64_t q = rnd64() & in_mask, z = rnd64() & out_mask, p = rnd64() | 1u;
				snprintf(desc, sizeof(desc), "WRITE_STATE slot %u q=0x%" PRIx64 " z=0x%" PRIx64 " prng=0x%" PRIx64, s, q, z, p);
				g_opdesc = desc;
				r = d.cmd(op, s, 0, 0, 0, q, z, p);
				m->q = q;
				m->z = z;
				m->prng = p;
				check("WRITE_STATE status", ST_OK, r.status);
			} else if (op == OP_NOP) {
				g_opdesc = "NOP";
				r = d.cmd(op, s);
				check("NOP status", ST_OK, r.status);
			} else if (op < 16) {
				snprintf(desc, sizeof(desc), "bad op %u slot %u", op, s);
				g_opdesc = desc;
				r = d.cmd(op, s, rnd(4), pick_x());
				check("bad op status", ST_BAD_OP, r.status);
			} else {
				// a configuration the op needs is out of range: BAD_CONFIG, nothing changes
				Vwnn_core *t = d.top.get();
				unsigned which = rnd(3);
				if (which == 0) {
					uint32_t bad = chance(50) ? 0u : P_DEPTH + 1 + rnd(5);
					snprintf(desc, sizeof(desc), "TRAIN with capacity %u, slot %u", bad, s);
					g_opdesc = desc;
					t->cfg_capacity_i = bad;
					op = OP_TRAIN;
					r = d.cmd(op, s, 0, pick_x(), pick_y());
					t->cfg_capacity_i = cfg.capacity;
				} else if (which == 1) {
					uint32_t bad = (chance(50) || P_GROUPS >= 255) ? 0u : P_GROUPS + 1 + rnd(255 - P_GROUPS);
					op = chance(50) ? OP_STEP : OP_PREDICT;
					snprintf(desc, sizeof(desc), "%s with n_groups %u, slot %u", op_name(op), bad, s);
					g_opdesc = desc;
					t->cfg_n_groups_i = bad;
					r = d.cmd(op, s, 0, pick_x());
					t->cfg_n_groups_i = g_conf.n_groups;
				} else {
					snprintf(desc, sizeof(desc), "PREDICT with settle 0, slot %u", s);
					g_opdesc = desc;
					t->cfg_settle_i = 0;
					op = OP_PREDICT;
					r = d.cmd(op, s, 0, pick_x());
					t->cfg_settle_i = cfg.settle_steps;
				}
				check("bad configuration status", ST_BAD_CONFIG, r.status);
				check_state(r, s);
				n_badcfg++;
				op = 12; // counted with the errors
			}
			record(op, r);
			if (op == OP_RESET_STATE)
				check("RESET_STATE cycles", cfg.reset == WNN_RESET_RANDOM ? 2 : 1, r.cycles);
			if (op == OP_NOP || op == OP_CLEAR || op == OP_INIT_SLOT ||
			    op == OP_READ_STATE || op == OP_WRITE_STATE || op >= OP_COUNT_)
				check("single-cycle op cycles", 1, r.cycles);
			if (op == OP_READ_ENTRY)
				check("READ_ENTRY cycles", r.status == ST_OK ? 2 : 1, r.cycles);
			if (op != OP_NOP && op < OP_COUNT_)
				check_state(r, s);
			check_memory(d, s);
			if (g_opno % 64 == 0) {
				for (unsigned t = 0; t < P_SLOTS; t++) {
					g_opdesc = "periodic all-slot check";
					Result rs = d.cmd(OP_READ_STATE, t);
					check("READ_STATE status", ST_OK, rs.status);
					check_state(rs, t);
					check_memory(d, t);
				}
			}
		}
	}

	printf("PASS: %" PRIu64 " ops in %u configurations (full %" PRIu64 ", forward_forward %" PRIu64
	       ", random %" PRIu64 "; %" PRIu64 " multi-pass, up to %u groups), %" PRIu64 " cycles\n",
	       g_opno, g_cfgno, conn_count[0], conn_count[1], conn_count[2], multipass_cfgs, max_groups,
	       d.cycle);
	printf("  rejected FULL %" PRIu64 ", evicted %" PRIu64 ", RANGE %" PRIu64 ", removed by FORGET_INPUT %" PRIu64
	       ", BAD_CONFIG %" PRIu64 "\n",
	       n_full, n_evict, n_range, n_removed, n_badcfg);
	printf("  %-13s %8s %10s %10s\n", "op", "count", "max cyc", "mean cyc");
	for (unsigned op = 0; op < 14; op++) {
		if (!stats[op].n)
			continue;
		printf("  %-13s %8" PRIu64 " %10" PRIu64 " %10.1f\n", op >= 12 ? "errors" : op_name(op),
		       stats[op].n, stats[op].max_cycles, (double)stats[op].sum_cycles / (double)stats[op].n);
	}
	printf("  largest slot count %u\n", max_count);
	printf("  one-pass STEP: max cycles - ceil(count/LANES) = %" PRIu64 " (bar 8)\n", max_step_over);
	if (n_multipass_steps)
		printf("  multi-pass STEP (%" PRIu64 "): max cycles - ceil(count/LANES) = %" PRIu64 "\n",
		       n_multipass_steps, max_step_over_mp);
	for (unsigned s = 0; s < P_SLOTS; s++)
		if (slots[s].live)
			wnn_model_free(&slots[s].m);
	printf("1 passed, 0 failed\n");
	return 0;
}
