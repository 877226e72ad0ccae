/* SPDX-License-Identifier: MIT */
/* wnn_model.h - the golden model: docs/algorithm.md in C. The RTL is checked against this. */
#ifndef WNN_MODEL_H
#define WNN_MODEL_H

#include <stdint.h>

#include "wnn.h"

/* §4.3: xorshift64 (13, 7, 17); a zero seed is replaced so the state is never zero. */
#define WNN_PRNG_ZERO_SEED UINT64_C(0x9E3779B97F4A7C15)
static inline uint64_t wnn_prng_seed(uint64_t v)
{
	return v ? v : WNN_PRNG_ZERO_SEED;
}
static inline uint64_t wnn_prng_next(uint64_t *s)
{
	uint64_t v = *s;
	v ^= v << 13;
	v ^= v >> 7;
	v ^= v << 17;
	*s = v;
	return v;
}

static inline uint64_t wnn_bits_mask(uint32_t bits)
{
	return bits >= 64u ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1u;
}

enum wnn_layer { WNN_LAYER_Q = 0, WNN_LAYER_Z = 1 };

/* §3: a search group: neurons of one layer that read the same bits share one search. */
typedef struct wnn_group {
	uint32_t layer;  /* enum wnn_layer */
	uint64_t mask_a; /* bits read from the first source part (I for Q, Q for Z) */
	uint64_t mask_b; /* bits read from the second source part (Q for Q, Z for Z) */
	uint64_t members; /* neurons of the layer that this group decides */
} wnn_group;

/* Compiles cfg's connectivity into groups (Q groups first, then Z groups). groups must hold
 * WNN_MAX_GROUPS. Returns 0 or WNN_ERR_INVALID. */
int wnn_compile_groups(const wnn_config *cfg, wnn_group *groups, uint32_t *n_groups);

/* §4.2: the result of one group's search over the stored entries. */
typedef struct wnn_group_result {
	uint32_t distance; /* nearest distance, WNN_NO_MATCH if nothing matched */
	uint32_t nearest;  /* entries at that distance */
} wnn_group_result;

typedef struct wnn_model {
	wnn_config cfg;
	uint32_t n_groups;
	wnn_group group[WNN_MAX_GROUPS];
	uint64_t *x, *y;     /* ring of cfg.capacity entries; age rank r sits at (base + r) % capacity */
	uint32_t base, count;
	uint64_t q, z, prng; /* state (§4) */
} wnn_model;

/* Allocates the entry ring; returns 0, WNN_ERR_INVALID or WNN_ERR_NOMEM. */
int wnn_model_init(wnn_model *m, const wnn_config *cfg);
void wnn_model_free(wnn_model *m);

/* §6. Returns 0, 1 if the oldest entry was evicted to make room, or WNN_ERR_FULL. */
int wnn_model_train(wnn_model *m, uint64_t x, uint64_t y);
/* §4.1 */
void wnn_model_reset_state(wnn_model *m);
/* §4: one synchronous step with input x. */
void wnn_model_step(wnn_model *m, uint64_t x);
/* §7: reseed, reset, settle; returns Z. */
uint64_t wnn_model_predict(wnn_model *m, uint64_t x);
/* §8 */
int wnn_model_forget_rank(wnn_model *m, uint32_t rank);
uint32_t wnn_model_forget_input(wnn_model *m, uint64_t x);
void wnn_model_clear(wnn_model *m);
void wnn_model_entry(const wnn_model *m, uint32_t rank, uint64_t *x, uint64_t *y);

/* §4.2: searches every group of `layer` from the state (x, q, z); fills res[g] for those groups
 * and ones[b], the entries at the nearest distance whose target bit b is 1. */
void wnn_model_search(const wnn_model *m, uint32_t layer, uint64_t x, uint64_t q, uint64_t z,
		      wnn_group_result *res, uint32_t ones[WNN_MAX_BITS]);
/* Distance of stored entry (ex, ey) to the state for group g (§4.2). */
uint32_t wnn_model_distance(const wnn_group *g, uint64_t x, uint64_t q, uint64_t z, uint64_t ex,
			    uint64_t ey);

#endif
