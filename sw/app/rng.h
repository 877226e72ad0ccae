/* SPDX-License-Identifier: MIT */
/* rng.h - the application's random draws, all from the agent's xorshift64 (wnn_model.h), so every
 * seeded run (sampling, weight initialisation, benchmarks) is reproducible bit for bit. */
#ifndef WNNREC_RNG_H
#define WNNREC_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "wnn_model.h"

/* A draw; a zero state (an unseeded stream) is replaced first so the stream never sticks at 0. */
static inline uint64_t rng_next(uint64_t *s)
{
	*s = wnn_prng_seed(*s);
	return wnn_prng_next(s);
}

/* Uniform in [-a, a) from the top 24 bits. */
static inline float rng_uniform(uint64_t *s, float a)
{
	float u = (float)(rng_next(s) >> 40) * (1.0f / 16777216.0f);
	return (2.0f * u - 1.0f) * a;
}

/* Uniform in [0, bound) for bound <= 2^32 (multiply-shift; the bias is < bound / 2^32). */
static inline size_t rng_below(uint64_t *s, size_t bound)
{
	return (size_t)(((rng_next(s) >> 32) * (uint64_t)bound) >> 32);
}

#endif
