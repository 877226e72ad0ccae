/* SPDX-License-Identifier: MIT */
/* test_model.c - the agent's rules (docs/algorithm.md) through the public API, golden backend. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wnn.h"
#include "wnn_model.h"

static wnn_ctx *ctx;

static void open_golden(void)
{
	char err[128];

	cr_assert_eq(wnn_ctx_open(&ctx, "golden", err, sizeof(err)), 0, "%s", err);
}

static void close_golden(void)
{
	wnn_ctx_close(ctx);
	ctx = NULL;
}

TestSuite(model, .init = open_golden, .fini = close_golden);

static uint64_t rnd(uint64_t *s)
{
	return wnn_prng_next(s);
}

static wnn_agent *make(const wnn_config *cfg)
{
	wnn_agent *a = NULL;
	int r = wnn_agent_create(ctx, cfg, &a);

	cr_assert_eq(r, 0, "create: %s (%s)", wnn_strerror(r), wnn_ctx_errmsg(ctx));
	return a;
}

static void feedforward(wnn_config *c)
{
	wnn_config_default(c);
	c->recurrent = 0;
	c->tie = WNN_TIE_ZERO;
	c->reset = WNN_RESET_ZERO;
}

Test(model, prng_is_xorshift64_13_7_17)
{
	uint64_t s = wnn_prng_seed(1);

	cr_assert_eq(wnn_prng_next(&s), UINT64_C(1082269761), "first draw from seed 1");
	s = wnn_prng_seed(0);
	cr_assert_eq(s, UINT64_C(0x9E3779B97F4A7C15), "a zero seed is replaced");
}

Test(model, trained_pairs_are_recalled_exactly_feedforward)
{
	wnn_config c;
	uint64_t s = 42, xs[40], ys[40];
	wnn_agent *a;

	feedforward(&c);
	a = make(&c);
	for (int i = 0; i < 40; i++) {
		xs[i] = rnd(&s) & ((1u << 26) - 1);
		ys[i] = (UINT64_C(1) << (rnd(&s) % 11)) - 1;
		cr_assert_eq(wnn_train(a, xs[i], ys[i]), 0);
	}
	for (int i = 0; i < 40; i++) {
		uint64_t z;
		cr_assert_eq(wnn_predict(a, xs[i], &z), 0);
		cr_assert_eq(z, ys[i], "pair %d: expected 0x%llx got 0x%llx", i,
			     (unsigned long long)ys[i], (unsigned long long)z);
	}
}

Test(model, one_pair_is_recalled_by_the_paper_agent)
{
	wnn_config c;
	wnn_agent *a;
	uint64_t z;

	wnn_config_default(&c);
	a = make(&c);
	cr_assert_eq(wnn_train(a, 0x2AAAAAA, 0x3F), 0);
	cr_assert_eq(wnn_predict(a, 0x1555555, &z), 0);
	cr_assert_eq(z, 0x3F, "expected 0x3f got 0x%llx", (unsigned long long)z);
}

Test(model, vote_takes_the_majority_of_the_nearest_entries)
{
	wnn_config c;
	wnn_agent *a;
	uint64_t z;

	feedforward(&c);
	c.connectivity = WNN_CONN_FULL;
	c.in_bits = 4;
	c.out_bits = 3;
	a = make(&c);
	/* two entries at distance 1 from 0b0000 vote 0b011 and 0b001; one at distance 2 votes 0b111 */
	cr_assert_eq(wnn_train(a, 0x1, 0x3), 0);
	cr_assert_eq(wnn_train(a, 0x2, 0x1), 0);
	cr_assert_eq(wnn_train(a, 0x3, 0x7), 0);
	cr_assert_eq(wnn_predict(a, 0x0, &z), 0);
	/* bit 0: 2 of 2 -> 1; bit 1: 1 of 2 -> tie -> 0 (tie zero); bit 2: 0 of 2 -> 0 */
	cr_assert_eq(z, 0x1, "expected 0x1 got 0x%llx", (unsigned long long)z);
}

Test(model, random_ties_use_the_prng_word_and_are_reproducible)
{
	wnn_config c;
	wnn_agent *a, *b;
	uint64_t za, zb;
	int differ = 0;

	feedforward(&c);
	c.tie = WNN_TIE_RANDOM;
	a = make(&c);
	b = make(&c);
	/* empty agents: every bit is a tie, so Z is the tie word masked to 10 bits */
	for (uint64_t x = 0; x < 64; x++) {
		cr_assert_eq(wnn_predict(a, x, &za), 0);
		cr_assert_eq(wnn_predict(b, x, &zb), 0);
		cr_assert_eq(za, zb, "same seed, same input, same answer");
		cr_assert_eq(za & ~UINT64_C(0x3FF), 0, "bits above out_bits stay 0");
		differ += za != 0;
	}
	cr_assert_gt(differ, 32, "tie words vary with the input (%d of 64 nonzero)", differ);
}

Test(model, a_different_seed_gives_different_ties)
{
	wnn_config c;
	wnn_agent *a, *b;
	uint64_t za, zb;
	int same = 0;

	feedforward(&c);
	c.tie = WNN_TIE_RANDOM;
	a = make(&c);
	c.seed = 2;
	b = make(&c);
	for (uint64_t x = 0; x < 32; x++) {
		wnn_predict(a, x, &za);
		wnn_predict(b, x, &zb);
		same += za == zb;
	}
	cr_assert_lt(same, 4, "seeds 1 and 2 agreed on %d of 32 tie words", same);
}

static void predictions(wnn_agent *a, uint64_t *z, int n)
{
	for (int i = 0; i < n; i++)
		cr_assert_eq(wnn_predict(a, (uint64_t)i * 0x9E3779Bu & 0x3FFFFFF, &z[i]), 0);
}

Test(model, forgetting_the_newest_entry_restores_every_answer)
{
	wnn_config c;
	uint64_t s = 7, before[64], after[64];
	wnn_agent *a;

	wnn_config_default(&c); /* the paper agent: recurrent, random ties and reset */
	a = make(&c);
	for (int i = 0; i < 30; i++)
		wnn_train(a, rnd(&s) & 0x3FFFFFF, (UINT64_C(1) << (rnd(&s) % 11)) - 1);
	predictions(a, before, 64);
	cr_assert_eq(wnn_train(a, 0x1234567, 0x3FF), 0);
	cr_assert_eq(wnn_forget_entry(a, 30), 0);
	predictions(a, after, 64);
	cr_assert_arr_eq(before, after, sizeof(before), "answers changed after train + forget");
	cr_assert_eq(wnn_train(a, 0x0ABCDEF, 0x001), 0);
	cr_assert_eq(wnn_forget_input(a, 0x0ABCDEF), 1, "one entry had that input");
	predictions(a, after, 64);
	cr_assert_arr_eq(before, after, sizeof(before), "answers changed after forget by input");
}

Test(model, forgetting_keeps_the_survivors_in_age_order)
{
	wnn_config c;
	wnn_agent *a;
	uint64_t x, y;
	const uint64_t expect[] = {10, 12, 14, 15};

	feedforward(&c);
	a = make(&c);
	for (uint64_t i = 10; i < 16; i++)
		wnn_train(a, i, 1);
	wnn_train(a, 13, 3); /* a second entry with input 13 */
	cr_assert_eq(wnn_forget_entry(a, 1), 0);       /* removes 11 */
	cr_assert_eq(wnn_forget_input(a, 13), 2);      /* removes both 13s */
	cr_assert_eq(wnn_forget_entry(a, 4), WNN_ERR_RANGE, "rank 4 of 4 entries");
	for (uint32_t r = 0; r < 4; r++) {
		cr_assert_eq(wnn_read_entry(a, r, &x, &y), 0);
		cr_assert_eq(x, expect[r], "rank %u: expected %llu got %llu", r,
			     (unsigned long long)expect[r], (unsigned long long)x);
	}
	cr_assert_eq(wnn_read_entry(a, 4, &x, &y), WNN_ERR_RANGE);
	cr_assert_eq(wnn_forget_input(a, 99), 0, "forgetting an absent input is no error");
}

Test(model, a_full_agent_rejects_and_keeps_its_entries)
{
	wnn_config c;
	wnn_agent *a;
	wnn_stats st;
	uint64_t x, y;

	feedforward(&c);
	c.capacity = 3;
	a = make(&c);
	for (uint64_t i = 0; i < 3; i++)
		cr_assert_eq(wnn_train(a, i, 1), 0);
	cr_assert_eq(wnn_train(a, 7, 1), WNN_ERR_FULL);
	cr_assert_neq(strstr(wnn_ctx_errmsg(ctx), "full"), NULL, "message: %s", wnn_ctx_errmsg(ctx));
	wnn_get_stats(a, &st);
	cr_assert_eq(st.entries, 3);
	cr_assert_eq(st.trains, 3);
	wnn_read_entry(a, 2, &x, &y);
	cr_assert_eq(x, 2, "the newest entry is still input 2");
}

Test(model, a_full_agent_with_evict_drops_the_oldest)
{
	wnn_config c;
	wnn_agent *a;
	wnn_stats st;
	uint64_t x, y;

	feedforward(&c);
	c.capacity = 3;
	c.overflow = WNN_OVERFLOW_EVICT;
	a = make(&c);
	for (uint64_t i = 0; i < 10; i++) /* wraps the ring several times */
		cr_assert_eq(wnn_train(a, i, 1), 0);
	wnn_get_stats(a, &st);
	cr_assert_eq(st.entries, 3);
	cr_assert_eq(st.evictions, 7);
	for (uint32_t r = 0; r < 3; r++) {
		wnn_read_entry(a, r, &x, &y);
		cr_assert_eq(x, 7 + r, "rank %u: expected %u got %llu", r, 7 + r, (unsigned long long)x);
	}
	cr_assert_eq(wnn_forget_entry(a, 0), 0);
	cr_assert_eq(wnn_train(a, 10, 1), 0);
	wnn_read_entry(a, 2, &x, &y);
	cr_assert_eq(x, 10);
}

Test(model, clear_empties_and_keeps_the_state)
{
	wnn_config c;
	wnn_agent *a;
	wnn_state before, after;
	wnn_stats st;

	wnn_config_default(&c);
	a = make(&c);
	wnn_train(a, 5, 3);
	wnn_get_state(a, &before);
	cr_assert_eq(wnn_clear(a), 0);
	wnn_get_state(a, &after);
	wnn_get_stats(a, &st);
	cr_assert_eq(st.entries, 0);
	cr_assert_eq(before.q, after.q);
	cr_assert_eq(before.z, after.z);
	cr_assert_eq(before.prng, after.prng);
}

Test(model, training_sets_the_state_to_the_pair)
{
	wnn_config c;
	wnn_agent *a;
	wnn_state st;

	wnn_config_default(&c);
	a = make(&c);
	wnn_train(a, 0x155, 0x7);
	wnn_get_state(a, &st);
	cr_assert_eq(st.q, 0x155);
	cr_assert_eq(st.z, 0x7);
}

Test(model, step_is_synchronous)
{
	wnn_config c;
	wnn_agent *a;
	uint64_t q, z;

	/* one entry (x=0xF, y=0x3), zero reset: the first step sets Q from I but Z still reads the
	 * old Q (0), whose nearest entry is the same one, so Z = y already; Q follows the input. */
	feedforward(&c);
	c.connectivity = WNN_CONN_FULL;
	c.in_bits = 4;
	c.out_bits = 2;
	a = make(&c);
	wnn_train(a, 0xF, 0x3);
	wnn_reset_state(a);
	cr_assert_eq(wnn_step(a, 0xF, &q, &z), 0);
	cr_assert_eq(q, 0xF);
	cr_assert_eq(z, 0x3);
}

Test(model, explanation_matches_the_prediction)
{
	wnn_config c;
	uint64_t s = 99;
	wnn_agent *a;

	wnn_config_default(&c);
	a = make(&c);
	for (int i = 0; i < 50; i++)
		wnn_train(a, rnd(&s) & 0x3FFFFFF, (UINT64_C(1) << (rnd(&s) % 11)) - 1);
	for (int k = 0; k < 20; k++) {
		uint64_t x = rnd(&s) & 0x3FFFFFF, z;
		wnn_explanation ex;
		cr_assert_eq(wnn_predict(a, x, &z), 0);
		cr_assert_eq(wnn_explain(a, x, &ex), 0);
		cr_assert_eq(ex.z, z, "explain 0x%llx vs predict 0x%llx", (unsigned long long)ex.z,
			     (unsigned long long)z);
		for (uint32_t b = 0; b < 10; b++) {
			const wnn_bit_reason *br = &ex.bit[b];
			cr_assert_eq(br->value, (z >> b) & 1u);
			if (!br->tie)
				cr_assert_eq(br->value, br->votes_one > br->votes_zero);
		}
		cr_assert_gt(ex.n_entries, 0, "someone decided");
		for (uint32_t e = 0; e < ex.n_entries; e++) {
			uint64_t ey, exx;
			wnn_read_entry(a, ex.rank[e], &exx, &ey);
			cr_assert_eq(exx, ex.x[e]);
			cr_assert_eq(ey, ex.y[e]);
		}
		wnn_explanation_free(&ex);
	}
}

Test(model, random_connectivity_draws_k_distinct_bits_per_neuron)
{
	wnn_config c;
	wnn_group g[WNN_MAX_GROUPS], g2[WNN_MAX_GROUPS];
	uint32_t n, n2;

	wnn_config_default(&c);
	c.connectivity = WNN_CONN_RANDOM;
	c.random_k = 6;
	cr_assert_eq(wnn_compile_groups(&c, g, &n), 0);
	cr_assert_eq(n, 36, "one group per neuron");
	for (uint32_t i = 0; i < n; i++) {
		cr_assert_eq(wnn_popcount64(g[i].mask_a) + wnn_popcount64(g[i].mask_b), 6);
		cr_assert_eq(wnn_popcount64(g[i].members), 1);
		cr_assert_eq(g[i].layer, i < 26 ? WNN_LAYER_Q : WNN_LAYER_Z);
	}
	cr_assert_eq(wnn_compile_groups(&c, g2, &n2), 0);
	cr_assert_arr_eq(g, g2, n * sizeof(g[0]), "the same conn_seed draws the same bits");
	c.conn_seed = 2;
	wnn_compile_groups(&c, g2, &n2);
	cr_assert_arr_neq(g, g2, n * sizeof(g[0]), "another conn_seed draws other bits");
}

Test(model, forward_forward_has_a_q_group_per_channel)
{
	wnn_config c;
	wnn_group g[WNN_MAX_GROUPS];
	uint32_t n;

	wnn_config_default(&c);
	cr_assert_eq(wnn_compile_groups(&c, g, &n), 0);
	cr_assert_eq(n, 5);
	cr_assert_eq(g[0].mask_a, 0x3FF);
	cr_assert_eq(g[1].mask_a, 0x3FF << 10);
	cr_assert_eq(g[2].mask_a, UINT64_C(0x7) << 20);
	cr_assert_eq(g[3].mask_a, UINT64_C(0x7) << 23);
	cr_assert_eq(g[0].mask_b, 0x3FFFFFF, "recurrent: Q reads all of Q");
	cr_assert_eq(g[4].layer, WNN_LAYER_Z);
	cr_assert_eq(g[4].mask_b, 0x3FF, "recurrent: Z reads Z");
}

Test(model, threshold_turns_far_items_into_ties)
{
	wnn_config c;
	wnn_agent *a;
	uint64_t z;

	feedforward(&c);
	c.connectivity = WNN_CONN_FULL;
	c.threshold = 2;
	a = make(&c);
	wnn_train(a, 0x3C, 0x3FF);
	cr_assert_eq(wnn_predict(a, 0x3C ^ 0x3, &z), 0);
	cr_assert_eq(z, 0x3FF, "distance 2 matches");
	/* distance 3: Q falls to the tie rule (0), and Q = 0 is 4 away from the entry, so Z too */
	cr_assert_eq(wnn_predict(a, 0x3C ^ 0x7, &z), 0);
	cr_assert_eq(z, 0, "distance 3 does not match: expected 0 got 0x%llx", (unsigned long long)z);
}

Test(model, bad_arguments_are_rejected)
{
	wnn_config c;
	wnn_agent *a = NULL;
	uint64_t z;

	wnn_config_default(&c);
	c.in_bits = 65;
	cr_assert_eq(wnn_agent_create(ctx, &c, &a), WNN_ERR_INVALID);
	cr_assert_null(a);
	wnn_config_default(&c);
	c.channel_bits[0] = 9; /* channels no longer sum to in_bits */
	cr_assert_eq(wnn_agent_create(ctx, &c, &a), WNN_ERR_INVALID);
	wnn_config_default(&c);
	c.capacity = 0;
	cr_assert_eq(wnn_config_check(&c), WNN_ERR_INVALID);
	wnn_config_default(&c);
	a = make(&c);
	cr_assert_eq(wnn_train(a, UINT64_C(1) << 26, 0), WNN_ERR_INVALID);
	cr_assert_eq(wnn_train(a, 0, UINT64_C(1) << 10), WNN_ERR_INVALID);
	cr_assert_eq(wnn_predict(a, UINT64_C(1) << 40, &z), WNN_ERR_INVALID);
	cr_assert_neq(strstr(wnn_ctx_errmsg(ctx), "in_bits"), NULL, "%s", wnn_ctx_errmsg(ctx));
	cr_assert_str_eq(wnn_strerror(-999), "unknown error");
}

Test(model, unknown_backend_is_a_clear_error)
{
	wnn_ctx *other = NULL;
	char err[160];

	cr_assert_eq(wnn_ctx_open(&other, "fpga9000", err, sizeof(err)), WNN_ERR_BACKEND);
	cr_assert_null(other);
	cr_assert_neq(strstr(err, "fpga9000"), NULL, "%s", err);
}

Test(model, many_agents_live_in_one_context)
{
	wnn_config c;
	wnn_agent *a[300];

	feedforward(&c);
	for (int i = 0; i < 300; i++) {
		a[i] = make(&c);
		cr_assert_eq(wnn_train(a[i], (uint64_t)i, (uint64_t)(i % 1024)), 0);
	}
	for (int i = 0; i < 300; i += 7) {
		uint64_t z;
		wnn_predict(a[i], (uint64_t)i, &z);
		cr_assert_eq(z, (uint64_t)(i % 1024));
	}
	for (int i = 0; i < 300; i += 2)
		wnn_agent_free(a[i]); /* the rest are freed by wnn_ctx_close */
}

Test(model, sixty_four_bit_agents_work)
{
	wnn_config c;
	wnn_agent *a;
	uint64_t z, s = 5;

	feedforward(&c);
	c.connectivity = WNN_CONN_FULL;
	c.in_bits = 64;
	c.out_bits = 64;
	a = make(&c);
	for (int i = 0; i < 20; i++) {
		uint64_t x = rnd(&s), y = rnd(&s);
		cr_assert_eq(wnn_train(a, x, y), 0);
		cr_assert_eq(wnn_predict(a, x, &z), 0);
		cr_assert_eq(z, y);
	}
}
