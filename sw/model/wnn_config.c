/* SPDX-License-Identifier: MIT */
/* wnn_config.c - agent parameters and their compilation into search groups (docs/algorithm.md §3). */
#include <string.h>

#include "wnn_model.h"

void wnn_config_default(wnn_config *cfg)
{
	static const uint8_t paper_channels[4] = {10, 10, 3, 3};

	memset(cfg, 0, sizeof(*cfg));
	cfg->in_bits = 26;
	cfg->out_bits = 10;
	cfg->connectivity = WNN_CONN_FORWARD_FORWARD;
	cfg->recurrent = 1;
	cfg->n_channels = 4;
	memcpy(cfg->channel_bits, paper_channels, sizeof(paper_channels));
	cfg->random_k = 8;
	cfg->conn_seed = 1;
	cfg->capacity = 256;
	cfg->settle_steps = 5;
	cfg->threshold = WNN_NO_THRESHOLD;
	cfg->tie = WNN_TIE_RANDOM;
	cfg->reset = WNN_RESET_RANDOM;
	cfg->overflow = WNN_OVERFLOW_REJECT;
	cfg->seed = 1;
}

int wnn_config_check(const wnn_config *cfg)
{
	if (!cfg)
		return WNN_ERR_INVALID;
	if (cfg->in_bits < 1 || cfg->in_bits > WNN_MAX_BITS || cfg->out_bits < 1 ||
	    cfg->out_bits > WNN_MAX_BITS)
		return WNN_ERR_INVALID;
	if (cfg->capacity < 1 || cfg->capacity > WNN_MAX_CAPACITY)
		return WNN_ERR_INVALID;
	if (cfg->settle_steps < 1 || cfg->settle_steps > 255)
		return WNN_ERR_INVALID;
	if (cfg->recurrent > 1 || cfg->tie > WNN_TIE_ZERO || cfg->reset > WNN_RESET_RANDOM ||
	    cfg->overflow > WNN_OVERFLOW_EVICT)
		return WNN_ERR_INVALID;
	if (cfg->threshold > WNN_NO_THRESHOLD)
		return WNN_ERR_INVALID;
	switch (cfg->connectivity) {
	case WNN_CONN_FULL:
		break;
	case WNN_CONN_FORWARD_FORWARD: {
		uint32_t sum = 0;
		if (cfg->n_channels < 1 || cfg->n_channels > WNN_MAX_CHANNELS)
			return WNN_ERR_INVALID;
		for (uint32_t c = 0; c < cfg->n_channels; c++) {
			if (cfg->channel_bits[c] == 0)
				return WNN_ERR_INVALID;
			sum += cfg->channel_bits[c];
		}
		if (sum != cfg->in_bits)
			return WNN_ERR_INVALID;
		break;
	}
	case WNN_CONN_RANDOM: {
		/* the narrowest source a neuron draws from (§3.3) */
		uint32_t q_src = cfg->recurrent ? 2 * cfg->in_bits : cfg->in_bits;
		uint32_t z_src = cfg->recurrent ? cfg->in_bits + cfg->out_bits : cfg->in_bits;
		if (cfg->random_k < 1 || cfg->random_k > q_src || cfg->random_k > z_src)
			return WNN_ERR_INVALID;
		if (cfg->in_bits + cfg->out_bits > WNN_MAX_GROUPS)
			return WNN_ERR_INVALID;
		break;
	}
	default:
		return WNN_ERR_INVALID;
	}
	return WNN_OK;
}

/* §3.3: k distinct source bits drawn with the connection PRNG. */
static void draw_random_mask(uint64_t *prng, uint32_t width_a, uint32_t width_b, uint32_t k,
			     uint64_t *mask_a, uint64_t *mask_b)
{
	uint32_t width = width_a + width_b, chosen = 0;

	*mask_a = 0;
	*mask_b = 0;
	while (chosen < k) {
		uint32_t pos = (uint32_t)(wnn_prng_next(prng) % width);
		uint64_t *mask = pos < width_a ? mask_a : mask_b;
		uint64_t bit = UINT64_C(1) << (pos < width_a ? pos : pos - width_a);
		if (!(*mask & bit)) {
			*mask |= bit;
			chosen++;
		}
	}
}

int wnn_compile_groups(const wnn_config *cfg, wnn_group *groups, uint32_t *n_groups)
{
	uint64_t in_mask, out_mask, q_feedback, z_feedback;
	uint32_t n = 0;

	if (wnn_config_check(cfg))
		return WNN_ERR_INVALID;
	in_mask = wnn_bits_mask(cfg->in_bits);
	out_mask = wnn_bits_mask(cfg->out_bits);
	q_feedback = cfg->recurrent ? in_mask : 0;
	z_feedback = cfg->recurrent ? out_mask : 0;

	switch (cfg->connectivity) {
	case WNN_CONN_FULL:
		groups[n++] = (wnn_group){WNN_LAYER_Q, in_mask, q_feedback, in_mask};
		groups[n++] = (wnn_group){WNN_LAYER_Z, in_mask, z_feedback, out_mask};
		break;
	case WNN_CONN_FORWARD_FORWARD: {
		uint32_t lo = 0;
		for (uint32_t c = 0; c < cfg->n_channels; c++) {
			uint64_t ch = wnn_bits_mask(cfg->channel_bits[c]) << lo;
			groups[n++] = (wnn_group){WNN_LAYER_Q, ch, q_feedback, ch};
			lo += cfg->channel_bits[c];
		}
		groups[n++] = (wnn_group){WNN_LAYER_Z, in_mask, z_feedback, out_mask};
		break;
	}
	case WNN_CONN_RANDOM: {
		uint64_t prng = wnn_prng_seed(cfg->conn_seed);
		uint32_t q_b = cfg->recurrent ? cfg->in_bits : 0;
		uint32_t z_b = cfg->recurrent ? cfg->out_bits : 0;
		for (uint32_t b = 0; b < cfg->in_bits; b++) {
			wnn_group g = {WNN_LAYER_Q, 0, 0, UINT64_C(1) << b};
			draw_random_mask(&prng, cfg->in_bits, q_b, cfg->random_k, &g.mask_a, &g.mask_b);
			groups[n++] = g;
		}
		for (uint32_t b = 0; b < cfg->out_bits; b++) {
			wnn_group g = {WNN_LAYER_Z, 0, 0, UINT64_C(1) << b};
			draw_random_mask(&prng, cfg->in_bits, z_b, cfg->random_k, &g.mask_a, &g.mask_b);
			groups[n++] = g;
		}
		break;
	}
	default:
		return WNN_ERR_INVALID;
	}
	*n_groups = n;
	return WNN_OK;
}
