/* SPDX-License-Identifier: MIT */
/* wnn_hw.c - the register-level driver of the wnn accelerator (docs/regmap.md) over a wnn_bus.
 *
 * Speed: every bus access may be a round trip over a slow link, so the driver writes an operand
 * register only when its value differs from the last one written (a shadow of the write-only
 * view), reads the high half of a result only when the agent is wider than 32 bits, and fetches
 * CYCLES_LAST only when it would otherwise be lost (see fetch_cycles). */
#include <stdlib.h>
#include <string.h>

#include "wnn_hw.h"
#include "wnn_regmap.h"

#define SHADOW_WORDS (1u << (WNN_ADDR_BITS - 2u))

/* What the device holds for every slot: the agent configuration minus the seed (§3, §4-§7). */
typedef struct hw_image {
	uint32_t widths, policy, threshold, capacity, n_groups;
	wnn_group group[WNN_MAX_GROUPS];
} hw_image;

typedef struct hw_slot {
	uint32_t index;
	uint32_t in_bits, out_bits;
	uint64_t last_cycles;
} hw_slot;

typedef struct wnn_hw {
	wnn_ctx *ctx;
	wnn_bus bus;
	uint32_t in_w, out_w, lanes, units, slots, depth, groups;
	uint32_t n_open; /* agents open; the image is the device's configuration while > 0 */
	hw_image image;
	hw_slot **slot; /* [slots], NULL where free */
	hw_slot
	    *cycles_owner; /* the slot whose operation CYCLES_LAST holds and nobody fetched yet */
	uint32_t shadow[SHADOW_WORDS];
	uint8_t shadow_ok[SHADOW_WORDS];
} wnn_hw;

static const char *const op_name[] = {
    "NOP",	    "TRAIN", "PREDICT",	   "STEP",	"RESET_STATE", "FORGET_ENTRY",
    "FORGET_INPUT", "CLEAR", "READ_ENTRY", "INIT_SLOT", "READ_STATE",  "WRITE_STATE",
};

static const char *status_name(uint32_t code)
{
	switch (code) {
	case WNN_ST_OK:
		return "ST_OK";
	case WNN_ST_FULL:
		return "ST_FULL";
	case WNN_ST_RANGE:
		return "ST_RANGE";
	case WNN_ST_BAD_OP:
		return "ST_BAD_OP";
	case WNN_ST_BAD_CONFIG:
		return "ST_BAD_CONFIG";
	case WNN_ST_BAD_SLOT:
		return "ST_BAD_SLOT";
	default:
		return "an undefined code";
	}
}

static int bus_fail(wnn_hw *hw, int err, const char *what, uint32_t addr)
{
	memset(hw->shadow_ok, 0,
	       sizeof(hw->shadow_ok)); /* the device's registers are unknown now */
	return wnn_fail(hw->ctx, err, "%s of register 0x%03X failed: %s", what, (unsigned)addr,
			wnn_strerror(err));
}

static int rd(wnn_hw *hw, uint32_t addr, uint32_t *v)
{
	int r = hw->bus.read32(hw->bus.ctx, addr, v);

	return r ? bus_fail(hw, r, "read", addr) : WNN_OK;
}

static int wr(wnn_hw *hw, uint32_t addr, uint32_t v)
{
	int r = hw->bus.write32(hw->bus.ctx, addr, v);

	if (r)
		return bus_fail(hw, r, "write", addr);
	hw->shadow[addr >> 2] = v;
	hw->shadow_ok[addr >> 2] = 1;
	return WNN_OK;
}

/* Writes an operand or configuration register unless it already holds v. */
static int wr_cached(wnn_hw *hw, uint32_t addr, uint32_t v)
{
	if (hw->shadow_ok[addr >> 2] && hw->shadow[addr >> 2] == v)
		return WNN_OK;
	return wr(hw, addr, v);
}

static int wr64(wnn_hw *hw, uint32_t lo, uint32_t hi, uint64_t v)
{
	int r = wr_cached(hw, lo, (uint32_t)v);

	return r ? r : wr_cached(hw, hi, (uint32_t)(v >> 32));
}

/* Reads a result; the high half only when the value can be wider than 32 bits. */
static int rd64(wnn_hw *hw, uint32_t lo, uint32_t hi, uint32_t bits, uint64_t *v)
{
	uint32_t l, h = 0;
	int r = rd(hw, lo, &l);

	if (!r && bits > 32u)
		r = rd(hw, hi, &h);
	*v = r ? 0 : (uint64_t)h << 32 | l;
	return r;
}

/* CYCLES_LAST holds the cycles of the last command only until the next one. Operations the
 * caller sees (train, predict, ...) leave it to their slot; it is fetched into the slot when
 * the slot asks, or before a command would overwrite it for another slot or an internal query
 * (wnn_get_stats counts entries before it asks for cycles). A slot's next operation simply
 * supersedes it. */
static int fetch_cycles(wnn_hw *hw)
{
	uint32_t c;
	int r;

	if (!hw->cycles_owner)
		return WNN_OK;
	r = rd(hw, WNN_REG_CYCLES_LAST, &c);
	if (!r)
		hw->cycles_owner->last_cycles = c;
	hw->cycles_owner = NULL;
	return r;
}

/* Runs op on slot s (operands already written) and waits for DONE; *status receives STATUS.
 * measured: the operation is one the caller asked for, whose cycles last_cycles reports. */
static int run(wnn_hw *hw, hw_slot *s, uint32_t op, int measured, uint32_t *status)
{
	uint32_t st = 0, code;
	int r = WNN_OK;

	if (hw->cycles_owner && (!measured || hw->cycles_owner != s))
		r = fetch_cycles(hw);
	if (!r)
		r = wr_cached(hw, WNN_REG_SLOT, s->index);
	if (!r)
		r = wr(hw, WNN_REG_CMD, WNN_CMD_OP_SET(op));
	for (uint32_t polls = 0; !r; polls++) {
		if (polls == WNN_HW_POLL_LIMIT)
			return wnn_fail(hw->ctx, WNN_ERR_TIMEOUT,
					"%s on slot %u: no DONE after %u status reads", op_name[op],
					s->index, polls);
		r = rd(hw, WNN_REG_STATUS, &st);
		if (!r && WNN_STATUS_DONE_GET(st) && !WNN_STATUS_BUSY_GET(st))
			break;
	}
	if (r)
		return r;
	if (status)
		*status = st;
	hw->cycles_owner = measured ? s : NULL;
	if (WNN_STATUS_IGNORED_GET(st)) {
		wr(hw, WNN_REG_STATUS, WNN_STATUS_IGNORED_MASK);
		return wnn_fail(hw->ctx, WNN_ERR_DEVICE,
				"%s on slot %u: the device was busy and ignored a register write",
				op_name[op], s->index);
	}
	code = WNN_STATUS_CODE_GET(st);
	switch (code) {
	case WNN_ST_OK:
		return WNN_OK;
	case WNN_ST_FULL:
		return WNN_ERR_FULL;
	case WNN_ST_RANGE:
		return WNN_ERR_RANGE;
	default:
		return wnn_fail(hw->ctx, WNN_ERR_DEVICE, "%s on slot %u: device status %u (%s)",
				op_name[op], s->index, (unsigned)code, status_name(code));
	}
}

int wnn_hw_open(wnn_ctx *ctx, const wnn_bus *bus, void **dev)
{
	uint32_t id = 0, version = 0, p = 0, p2 = 0;
	wnn_hw *hw = calloc(1, sizeof(*hw));
	int r;

	*dev = NULL;
	if (!hw) {
		if (bus->close)
			bus->close(bus->ctx);
		return wnn_fail(ctx, WNN_ERR_NOMEM, "out of memory opening the device");
	}
	hw->ctx = ctx;
	hw->bus = *bus;
	r = rd(hw, WNN_REG_ID, &id);
	if (!r && id != WNN_ID_VALUE)
		r = wnn_fail(ctx, WNN_ERR_BACKEND,
			     "no wnn accelerator: ID reads 0x%08X, not 0x%08X", (unsigned)id,
			     (unsigned)WNN_ID_VALUE);
	if (!r)
		r = rd(hw, WNN_REG_VERSION, &version);
	if (!r && (version >> 8) != (WNN_VERSION_VALUE >> 8))
		r = wnn_fail(ctx, WNN_ERR_BACKEND,
			     "register map version %u.%u on the device, the driver speaks %u.x",
			     (unsigned)(version >> 8 & 0xFFu), (unsigned)(version & 0xFFu),
			     (unsigned)(WNN_VERSION_VALUE >> 8));
	if (!r)
		r = rd(hw, WNN_REG_PARAMS, &p);
	if (!r)
		r = rd(hw, WNN_REG_PARAMS2, &p2);
	if (!r) {
		hw->in_w = WNN_PARAMS_IN_W_GET(p);
		hw->out_w = WNN_PARAMS_OUT_W_GET(p);
		hw->lanes = WNN_PARAMS_LANES_GET(p);
		hw->units = WNN_PARAMS_UNITS_GET(p);
		hw->slots = WNN_PARAMS2_SLOTS_GET(p2);
		hw->depth = WNN_PARAMS2_DEPTH_LOG2_GET(p2) < 31u
				? 1u << WNN_PARAMS2_DEPTH_LOG2_GET(p2)
				: 0u;
		hw->groups = WNN_PARAMS2_GROUPS_GET(p2);
		if (!hw->in_w || hw->in_w > 64u || !hw->out_w || hw->out_w > 64u || !hw->slots ||
		    !hw->depth || !hw->groups)
			r = wnn_fail(ctx, WNN_ERR_BACKEND,
				     "implausible device parameters PARAMS=0x%08X PARAMS2=0x%08X",
				     (unsigned)p, (unsigned)p2);
	}
	/* A clean start: no sticky bits from whoever used the device before. */
	if (!r)
		r = wr(hw, WNN_REG_STATUS,
		       WNN_STATUS_DONE_MASK | WNN_STATUS_BUS_ERROR_MASK | WNN_STATUS_IGNORED_MASK);
	if (!r) {
		hw->slot = calloc(hw->slots, sizeof(*hw->slot));
		if (!hw->slot)
			r = wnn_fail(ctx, WNN_ERR_NOMEM, "out of memory opening the device");
	}
	if (r) {
		wnn_hw_close(hw);
		return r;
	}
	*dev = hw;
	return WNN_OK;
}

void wnn_hw_close(void *dev)
{
	wnn_hw *hw = dev;

	if (!hw)
		return;
	if (hw->slot)
		for (uint32_t i = 0; i < hw->slots; i++)
			free(hw->slot[i]);
	free(hw->slot);
	if (hw->bus.close)
		hw->bus.close(hw->bus.ctx);
	free(hw);
}

static void make_image(const wnn_config *cfg, const wnn_group *groups, uint32_t n_groups,
		       hw_image *im)
{
	memset(im, 0, sizeof(*im));
	im->widths =
	    WNN_CFG_WIDTHS_IN_BITS_SET(cfg->in_bits) | WNN_CFG_WIDTHS_OUT_BITS_SET(cfg->out_bits);
	im->policy = WNN_CFG_POLICY_TIE_ZERO_SET(cfg->tie == WNN_TIE_ZERO) |
		     WNN_CFG_POLICY_RESET_RANDOM_SET(cfg->reset == WNN_RESET_RANDOM) |
		     WNN_CFG_POLICY_EVICT_SET(cfg->overflow == WNN_OVERFLOW_EVICT) |
		     WNN_CFG_POLICY_SETTLE_SET(cfg->settle_steps);
	im->threshold = WNN_CFG_THRESHOLD_VALUE_SET(cfg->threshold);
	im->capacity = cfg->capacity;
	im->n_groups = n_groups;
	memcpy(im->group, groups, n_groups * sizeof(*groups));
}

static const char *image_diff(const hw_image *a, const hw_image *b)
{
	if (a->widths != b->widths)
		return "in_bits/out_bits";
	if (a->policy != b->policy)
		return "tie/reset/overflow policy or settle_steps";
	if (a->threshold != b->threshold)
		return "threshold";
	if (a->capacity != b->capacity)
		return "capacity";
	if (a->n_groups != b->n_groups)
		return "connectivity (number of groups)";
	for (uint32_t g = 0; g < a->n_groups; g++)
		if (a->group[g].layer != b->group[g].layer ||
		    a->group[g].mask_a != b->group[g].mask_a ||
		    a->group[g].mask_b != b->group[g].mask_b ||
		    a->group[g].members != b->group[g].members)
			return "connectivity";
	return NULL;
}

static int write_image(wnn_hw *hw, const hw_image *im)
{
	int r = wr_cached(hw, WNN_REG_CFG_WIDTHS, im->widths);

	if (!r)
		r = wr_cached(hw, WNN_REG_CFG_POLICY, im->policy);
	if (!r)
		r = wr_cached(hw, WNN_REG_CFG_THRESHOLD, im->threshold);
	if (!r)
		r = wr_cached(hw, WNN_REG_CFG_CAPACITY, im->capacity);
	if (!r)
		r = wr_cached(hw, WNN_REG_CFG_N_GROUPS, WNN_CFG_N_GROUPS_VALUE_SET(im->n_groups));
	for (uint32_t g = 0; !r && g < im->n_groups; g++) {
		const wnn_group *grp = &im->group[g];
		r = wr_cached(hw, WNN_REG_GRP_ADDR, g);
		if (!r)
			r = wr_cached(hw, WNN_REG_GRP_LAYER, WNN_GRP_LAYER_LAYER_SET(grp->layer));
		if (!r)
			r = wr64(hw, WNN_REG_GRP_MASK_A_LO, WNN_REG_GRP_MASK_A_HI, grp->mask_a);
		if (!r)
			r = wr64(hw, WNN_REG_GRP_MASK_B_LO, WNN_REG_GRP_MASK_B_HI, grp->mask_b);
		if (!r)
			r = wr64(hw, WNN_REG_GRP_MEMBERS_LO, WNN_REG_GRP_MEMBERS_HI, grp->members);
		if (!r)
			r = wr(hw, WNN_REG_GRP_COMMIT, 1u);
	}
	return r;
}

int wnn_hw_agent_open(void *dev, const wnn_config *cfg, const wnn_group *groups, uint32_t n_groups,
		      void **slot)
{
	wnn_hw *hw = dev;
	hw_image *im;
	hw_slot *s;
	uint32_t index;
	const char *diff;
	int r;

	*slot = NULL;
	if (cfg->in_bits > hw->in_w || cfg->out_bits > hw->out_w)
		return wnn_fail(hw->ctx, WNN_ERR_UNSUPPORTED,
				"agent is %u in / %u out bits; the device holds at most %u / %u",
				cfg->in_bits, cfg->out_bits, hw->in_w, hw->out_w);
	if (cfg->capacity > hw->depth)
		return wnn_fail(hw->ctx, WNN_ERR_UNSUPPORTED,
				"capacity %u exceeds the device's %u entries per slot",
				cfg->capacity, hw->depth);
	if (n_groups > hw->groups)
		return wnn_fail(hw->ctx, WNN_ERR_UNSUPPORTED,
				"connectivity compiles to %u search groups; the device holds %u",
				n_groups, hw->groups);
	im = malloc(sizeof(*im));
	if (!im)
		return wnn_fail(hw->ctx, WNN_ERR_NOMEM, "out of memory creating an agent");
	make_image(cfg, groups, n_groups, im);
	diff = hw->n_open ? image_diff(im, &hw->image) : NULL;
	if (diff) {
		free(im);
		return wnn_fail(hw->ctx, WNN_ERR_UNSUPPORTED,
				"the device's slots share one configuration and this agent's %s "
				"differs from the open agents' (only the seed may differ)",
				diff);
	}
	for (index = 0; index < hw->slots && hw->slot[index]; index++)
		;
	s = index < hw->slots ? calloc(1, sizeof(*s)) : NULL;
	if (!s) {
		free(im);
		if (index < hw->slots)
			return wnn_fail(hw->ctx, WNN_ERR_NOMEM, "out of memory creating an agent");
		return wnn_fail(hw->ctx, WNN_ERR_NO_SLOT,
				"all %u agent slots of the device are in use", hw->slots);
	}
	r = WNN_OK;
	if (!hw->n_open) {
		r = fetch_cycles(hw);
		if (!r)
			r = write_image(hw, im);
		if (!r)
			hw->image = *im;
	}
	free(im);
	s->index = index;
	s->in_bits = cfg->in_bits;
	s->out_bits = cfg->out_bits;
	if (!r)
		r = wr64(hw, WNN_REG_PRNG_LO, WNN_REG_PRNG_HI, cfg->seed);
	if (!r)
		r = run(hw, s, WNN_OP_INIT_SLOT, 0, NULL);
	if (r) {
		free(s);
		return r;
	}
	hw->slot[index] = s;
	hw->n_open++;
	*slot = s;
	return WNN_OK;
}

void wnn_hw_agent_close(void *dev, void *slot)
{
	wnn_hw *hw = dev;
	hw_slot *s = slot;

	if (hw->cycles_owner == s)
		hw->cycles_owner = NULL;
	hw->slot[s->index] = NULL;
	hw->n_open--;
	free(s);
}

int wnn_hw_train(void *dev, void *slot, uint64_t x, uint64_t y)
{
	wnn_hw *hw = dev;
	uint32_t st;
	int r = wr64(hw, WNN_REG_X_LO, WNN_REG_X_HI, x);

	if (!r)
		r = wr64(hw, WNN_REG_Y_LO, WNN_REG_Y_HI, y);
	if (!r)
		r = run(hw, slot, WNN_OP_TRAIN, 1, &st);
	return r ? r : (int)WNN_STATUS_EVICTED_GET(st);
}

int wnn_hw_predict(void *dev, void *slot, uint64_t x, uint64_t *z)
{
	wnn_hw *hw = dev;
	hw_slot *s = slot;
	int r = wr64(hw, WNN_REG_X_LO, WNN_REG_X_HI, x);

	if (!r)
		r = run(hw, s, WNN_OP_PREDICT, 1, NULL);
	if (!r)
		r = rd64(hw, WNN_REG_R_Z_LO, WNN_REG_R_Z_HI, s->out_bits, z);
	return r;
}

int wnn_hw_step(void *dev, void *slot, uint64_t x)
{
	wnn_hw *hw = dev;
	int r = wr64(hw, WNN_REG_X_LO, WNN_REG_X_HI, x);

	return r ? r : run(hw, slot, WNN_OP_STEP, 1, NULL);
}

int wnn_hw_reset_state(void *dev, void *slot)
{
	return run(dev, slot, WNN_OP_RESET_STATE, 1, NULL);
}

int wnn_hw_forget_rank(void *dev, void *slot, uint32_t rank)
{
	wnn_hw *hw = dev;
	int r = wr_cached(hw, WNN_REG_RANK, rank);

	return r ? r : run(hw, slot, WNN_OP_FORGET_ENTRY, 1, NULL);
}

int wnn_hw_forget_input(void *dev, void *slot, uint64_t x)
{
	wnn_hw *hw = dev;
	uint32_t removed = 0;
	int r = wr64(hw, WNN_REG_X_LO, WNN_REG_X_HI, x);

	if (!r)
		r = run(hw, slot, WNN_OP_FORGET_INPUT, 1, NULL);
	if (!r)
		r = rd(hw, WNN_REG_R_REMOVED, &removed);
	return r ? r : (int)removed;
}

int wnn_hw_clear(void *dev, void *slot)
{
	return run(dev, slot, WNN_OP_CLEAR, 1, NULL);
}

int wnn_hw_count(void *dev, void *slot, uint32_t *entries)
{
	wnn_hw *hw = dev;
	int r = run(hw, slot, WNN_OP_READ_STATE, 0, NULL);

	*entries = 0;
	return r ? r : rd(hw, WNN_REG_R_COUNT, entries);
}

int wnn_hw_read_entry(void *dev, void *slot, uint32_t rank, uint64_t *x, uint64_t *y)
{
	wnn_hw *hw = dev;
	hw_slot *s = slot;
	int r = wr_cached(hw, WNN_REG_RANK, rank);

	if (!r)
		r = run(hw, s, WNN_OP_READ_ENTRY, 0, NULL);
	if (!r)
		r = rd64(hw, WNN_REG_R_X_LO, WNN_REG_R_X_HI, s->in_bits, x);
	if (!r)
		r = rd64(hw, WNN_REG_R_Y_LO, WNN_REG_R_Y_HI, s->out_bits, y);
	return r;
}

int wnn_hw_get_state(void *dev, void *slot, wnn_state *st)
{
	wnn_hw *hw = dev;
	hw_slot *s = slot;
	int r = run(hw, s, WNN_OP_READ_STATE, 0, NULL);

	if (!r)
		r = rd64(hw, WNN_REG_R_Q_LO, WNN_REG_R_Q_HI, s->in_bits, &st->q);
	if (!r)
		r = rd64(hw, WNN_REG_R_Z_LO, WNN_REG_R_Z_HI, s->out_bits, &st->z);
	if (!r)
		r = rd64(hw, WNN_REG_R_PRNG_LO, WNN_REG_R_PRNG_HI, 64u, &st->prng);
	return r;
}

int wnn_hw_set_state(void *dev, void *slot, const wnn_state *st)
{
	wnn_hw *hw = dev;
	int r = wr64(hw, WNN_REG_Q_LO, WNN_REG_Q_HI, st->q);

	if (!r)
		r = wr64(hw, WNN_REG_Z_LO, WNN_REG_Z_HI, st->z);
	if (!r)
		r = wr64(hw, WNN_REG_PRNG_LO, WNN_REG_PRNG_HI, st->prng);
	return r ? r : run(hw, slot, WNN_OP_WRITE_STATE, 0, NULL);
}

int wnn_hw_last_cycles(void *dev, void *slot, uint64_t *cycles)
{
	wnn_hw *hw = dev;
	hw_slot *s = slot;
	int r = hw->cycles_owner == s ? fetch_cycles(hw) : WNN_OK;

	*cycles = s->last_cycles;
	return r;
}
