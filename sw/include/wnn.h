/* SPDX-License-Identifier: MIT */
/* wnn.h - the one public header of libwnn: weightless neural agents on interchangeable backends.
 *
 * Every rule the agent follows (addressing, distance, votes, ties, settling, capacity, forgetting)
 * is defined in docs/algorithm.md; section numbers below (§n) point there.
 *
 * Conventions: every function returns 0 or a negative WNN_ERR_* code (a few return a count >= 0).
 * The library never prints, never exits and keeps no global state. Handles are opaque; whoever
 * creates one frees it with the matching *_close / *_free call. After a failure the context keeps
 * a one-line detail that wnn_ctx_errmsg() returns. A context and its agents are not thread-safe;
 * use one context per thread.
 */
#ifndef WNN_H
#define WNN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WNN_VERSION_MAJOR 0
#define WNN_VERSION_MINOR 1
#define WNN_VERSION_PATCH 0

#define WNN_MAX_BITS 64u         /* widest I and Z layer (§1) */
#define WNN_MAX_CHANNELS 64u     /* forward_forward input channels (§3.2) */
#define WNN_MAX_GROUPS 128u      /* search groups after compiling a connectivity (§3) */
#define WNN_NO_THRESHOLD 0xFFFFu /* generalisation threshold disabled (§5) */
#define WNN_NO_MATCH 0xFFFFu     /* distance reported when no entry was near enough (§5) */

enum wnn_error {
	WNN_OK = 0,
	WNN_ERR_INVALID = -1,     /* a parameter is out of range */
	WNN_ERR_NOMEM = -2,       /* allocation failed */
	WNN_ERR_FULL = -3,        /* agent memory full and overflow policy is reject (§6) */
	WNN_ERR_RANGE = -4,       /* entry rank or slot out of range */
	WNN_ERR_IO = -5,          /* file or device I/O failed */
	WNN_ERR_FORMAT = -6,      /* saved agent malformed, truncated or of another version */
	WNN_ERR_CHECKSUM = -7,    /* saved agent or link frame fails its checksum */
	WNN_ERR_BACKEND = -8,     /* unknown backend or backend failure */
	WNN_ERR_UNSUPPORTED = -9, /* the backend cannot do this with these parameters */
	WNN_ERR_NO_SLOT = -10,    /* every agent slot of the device is in use */
	WNN_ERR_TIMEOUT = -11,    /* the device did not answer in time */
	WNN_ERR_DEVICE = -12,     /* the device reported an error status */
	WNN_ERR_BUS = -13,        /* bus error: access to an undefined register */
};

/* Returns a static string for any code, including unknown ones. */
const char *wnn_strerror(int err);

/* §3: how neurons connect to the layers they read. */
typedef enum wnn_connectivity {
	WNN_CONN_FULL = 0,            /* every Q neuron reads all of I and Q; every Z neuron all of Q, Z */
	WNN_CONN_FORWARD_FORWARD = 1, /* Q neurons of input channel k read channel k of I, and all Q */
	WNN_CONN_RANDOM = 2,          /* each neuron reads random_k bits drawn with conn_seed */
} wnn_connectivity;

typedef enum wnn_tie_policy {
	WNN_TIE_RANDOM = 0, /* a tied bit takes the PRNG's bit (§4.3) */
	WNN_TIE_ZERO = 1,   /* a tied bit is 0 */
} wnn_tie_policy;

typedef enum wnn_reset_policy {
	WNN_RESET_ZERO = 0,   /* Q and Z start at all zeros before a prediction (§7) */
	WNN_RESET_RANDOM = 1, /* Q and Z start at PRNG words */
} wnn_reset_policy;

typedef enum wnn_overflow_policy {
	WNN_OVERFLOW_REJECT = 0, /* training a full agent fails with WNN_ERR_FULL (§6) */
	WNN_OVERFLOW_EVICT = 1,  /* training a full agent first forgets its oldest entry */
} wnn_overflow_policy;

/* Agent parameters. Start from wnn_config_default() and change what you need. */
typedef struct wnn_config {
	uint32_t in_bits;  /* width of I (and of Q), 1..64 */
	uint32_t out_bits; /* width of Z, 1..64 */
	wnn_connectivity connectivity;
	uint32_t recurrent;     /* 1: Q reads Q and Z reads Z (the paper); 0: feedforward I->Q->Z */
	uint32_t n_channels;    /* forward_forward: number of input channels */
	uint8_t channel_bits[WNN_MAX_CHANNELS]; /* their widths, summing to in_bits, from bit 0 up */
	uint32_t random_k;      /* random: bits each neuron reads */
	uint64_t conn_seed;     /* random: seed of the connection draw */
	uint32_t capacity;      /* stored entries, 1..WNN_MAX_CAPACITY */
	uint32_t settle_steps;  /* state steps per prediction, 1..255 (default 5) */
	uint32_t threshold;     /* largest distance that still matches, or WNN_NO_THRESHOLD */
	wnn_tie_policy tie;
	wnn_reset_policy reset;
	wnn_overflow_policy overflow;
	uint64_t seed; /* the agent's PRNG seed (§4.3) */
} wnn_config;

#define WNN_MAX_CAPACITY (1u << 20)

/* The paper's agent: 26 inputs in channels {10,10,3,3}, 10 outputs, forward_forward, recurrent,
 * capacity 256, 5 settle steps, random ties, random reset. */
void wnn_config_default(wnn_config *cfg);

/* Checks a configuration; returns 0 or WNN_ERR_INVALID. */
int wnn_config_check(const wnn_config *cfg);

typedef struct wnn_ctx wnn_ctx;
typedef struct wnn_agent wnn_agent;

/* Opens a context on a backend. spec: "golden" (the C model), "verilator" (the RTL in
 * simulation, when built in), "uart:/dev/ttyUSB1[@baud]", "mmio:/dev/uio0[@offset]".
 * On failure *out is NULL; if a context could be made its message is lost, so a detail is
 * written to errbuf (may be NULL). */
int wnn_ctx_open(wnn_ctx **out, const char *spec, char *errbuf, size_t errlen);
void wnn_ctx_close(wnn_ctx *ctx); /* frees every agent still open in it */
const char *wnn_ctx_errmsg(const wnn_ctx *ctx); /* detail of the last failure, "" if none */
const char *wnn_ctx_backend(const wnn_ctx *ctx); /* backend name */

/* Agents. Many per context; on hardware backends each holds one device slot. */
int wnn_agent_create(wnn_ctx *ctx, const wnn_config *cfg, wnn_agent **out);
void wnn_agent_free(wnn_agent *agent);
const wnn_config *wnn_agent_config(const wnn_agent *agent);

/* §6: store the pair (x, y). Bits above in_bits / out_bits must be zero. */
int wnn_train(wnn_agent *agent, uint64_t x, uint64_t y);
/* §7: reset, settle, return Z. */
int wnn_predict(wnn_agent *agent, uint64_t x, uint64_t *z);
/* §4: one state step with input x; q and z (may be NULL) receive the new state. */
int wnn_step(wnn_agent *agent, uint64_t x, uint64_t *q, uint64_t *z);
/* §7.1: reset the state by the agent's reset policy. */
int wnn_reset_state(wnn_agent *agent);
/* §8: delete the entry of age rank `rank` (0 = oldest). */
int wnn_forget_entry(wnn_agent *agent, uint32_t rank);
/* §8: delete every entry whose input is x; returns how many (>= 0). */
int wnn_forget_input(wnn_agent *agent, uint64_t x);
/* §8: delete every entry. */
int wnn_clear(wnn_agent *agent);
/* Reads the entry of age rank `rank`. */
int wnn_read_entry(wnn_agent *agent, uint32_t rank, uint64_t *x, uint64_t *y);

typedef struct wnn_state {
	uint64_t q, z, prng;
} wnn_state;
int wnn_get_state(wnn_agent *agent, wnn_state *st);

typedef struct wnn_stats {
	uint32_t entries;     /* stored entries */
	uint32_t capacity;    /* configured capacity */
	uint64_t trains;      /* training calls that stored a pair */
	uint64_t predictions; /* predictions made */
	uint64_t evictions;   /* entries dropped by the evict policy */
	uint64_t last_cycles; /* device clock cycles of the last operation; 0 if not measured */
} wnn_stats;
int wnn_get_stats(wnn_agent *agent, wnn_stats *st);

/* §9: why each output bit of a prediction took its value. */
typedef struct wnn_bit_reason {
	uint16_t distance; /* nearest distance in the last step, WNN_NO_MATCH if none matched */
	uint16_t group;    /* search group that decided the bit */
	uint32_t votes_one, votes_zero; /* entries at that distance with target 1 / 0 */
	uint8_t tie;       /* 1 if the tie rule decided */
	uint8_t value;     /* the bit */
} wnn_bit_reason;

typedef struct wnn_explanation {
	uint64_t z;                 /* the prediction, equal to wnn_predict's */
	uint32_t out_bits;
	wnn_bit_reason bit[WNN_MAX_BITS];
	uint32_t n_entries;         /* stored entries that were nearest for at least one Z bit */
	uint32_t *rank;             /* their age ranks, ascending */
	uint64_t *bits;             /* for each, the Z bits it was nearest for */
	uint64_t *x, *y;            /* and its stored pair */
} wnn_explanation;

/* Fills ex (caller's struct; arrays allocated by the library, freed by wnn_explanation_free).
 * Does not change the agent: the same prediction is recomputed from the stored entries. */
int wnn_explain(wnn_agent *agent, uint64_t x, wnn_explanation *ex);
void wnn_explanation_free(wnn_explanation *ex);

/* Saved agents: a versioned little-endian file with a CRC-32 (docs/algorithm.md §10).
 * wnn_agent_save writes a temporary file and renames it over path. wnn_agent_load creates a new
 * agent in ctx; nothing else changes if the file is rejected. */
int wnn_agent_save(wnn_agent *agent, const char *path);
int wnn_agent_load(wnn_ctx *ctx, const char *path, wnn_agent **out);

/* Helpers shared by applications. */
static inline uint32_t wnn_popcount64(uint64_t v)
{
#if defined(__GNUC__) || defined(__clang__)
	return (uint32_t)__builtin_popcountll(v);
#else
	uint32_t n = 0;
	while (v) {
		v &= v - 1u;
		n++;
	}
	return n;
#endif
}

#ifdef __cplusplus
}
#endif
#endif /* WNN_H */
