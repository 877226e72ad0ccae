/* SPDX-License-Identifier: MIT */
/* test_save.c - saved agents (docs/algorithm.md §10): round trip, atomic write, bad files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wnn.h"
#include "wnn_model.h"

static wnn_ctx *ctx;
static char dir[64];

static void setup(void)
{
	char err[128];

	strcpy(dir, "/tmp/wnn_save_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(wnn_ctx_open(&ctx, "golden", err, sizeof(err)), 0, "%s", err);
}

static void teardown(void)
{
	char cmd[128];

	wnn_ctx_close(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(save, .init = setup, .fini = teardown);

static wnn_agent *trained_agent(uint32_t n)
{
	wnn_config c;
	wnn_agent *a;
	uint64_t s = 11, z;

	wnn_config_default(&c);
	c.seed = 0xDEADBEEFCAFEull;
	c.capacity = 300;
	cr_assert_eq(wnn_agent_create(ctx, &c, &a), 0);
	for (uint32_t i = 0; i < n; i++)
		cr_assert_eq(wnn_train(a, wnn_prng_next(&s) & 0x3FFFFFF,
				       (UINT64_C(1) << (wnn_prng_next(&s) % 11)) - 1), 0);
	wnn_predict(a, 0x1234, &z); /* leaves a state worth saving */
	return a;
}

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void assert_same_agent(wnn_agent *a, wnn_agent *b)
{
	wnn_stats sa, sb;
	wnn_state ta, tb;

	wnn_get_stats(a, &sa);
	wnn_get_stats(b, &sb);
	cr_assert_eq(sa.entries, sb.entries, "entries: expected %u got %u", sa.entries, sb.entries);
	cr_assert_eq(sa.capacity, sb.capacity);
	cr_assert_eq(sa.trains, sb.trains);
	wnn_get_state(a, &ta);
	wnn_get_state(b, &tb);
	cr_assert_eq(ta.q, tb.q);
	cr_assert_eq(ta.z, tb.z);
	cr_assert_eq(ta.prng, tb.prng);
	cr_assert_eq(memcmp(wnn_agent_config(a), wnn_agent_config(b), sizeof(wnn_config)), 0,
		     "configurations differ");
	for (uint32_t r = 0; r < sa.entries; r++) {
		uint64_t xa, ya, xb, yb;
		wnn_read_entry(a, r, &xa, &ya);
		wnn_read_entry(b, r, &xb, &yb);
		cr_assert(xa == xb && ya == yb, "entry %u differs", r);
	}
	for (uint64_t x = 0; x < 200; x++) {
		uint64_t za, zb, in = x * 0x51ED27u & 0x3FFFFFF;
		wnn_predict(a, in, &za);
		wnn_predict(b, in, &zb);
		cr_assert_eq(za, zb, "prediction of 0x%llx", (unsigned long long)in);
	}
}

Test(save, round_trip_is_bit_exact)
{
	char path[128];
	wnn_agent *a = trained_agent(120), *b;

	path_of(path, sizeof(path), "a.wnn");
	cr_assert_eq(wnn_agent_save(a, path), 0, "%s", wnn_ctx_errmsg(ctx));
	cr_assert_eq(wnn_agent_load(ctx, path, &b), 0, "%s", wnn_ctx_errmsg(ctx));
	assert_same_agent(a, b);
}

Test(save, an_empty_agent_round_trips)
{
	char path[128];
	wnn_agent *a = trained_agent(0), *b;

	path_of(path, sizeof(path), "empty.wnn");
	cr_assert_eq(wnn_agent_save(a, path), 0);
	cr_assert_eq(wnn_agent_load(ctx, path, &b), 0, "%s", wnn_ctx_errmsg(ctx));
	assert_same_agent(a, b);
}

Test(save, saving_replaces_the_file_and_leaves_no_temporary)
{
	char path[128], cmd[160];
	wnn_agent *a = trained_agent(10), *b = trained_agent(50), *c;
	FILE *p;
	int files;

	path_of(path, sizeof(path), "x.wnn");
	cr_assert_eq(wnn_agent_save(a, path), 0);
	cr_assert_eq(wnn_agent_save(b, path), 0);
	cr_assert_eq(wnn_agent_load(ctx, path, &c), 0);
	assert_same_agent(b, c);
	snprintf(cmd, sizeof(cmd), "ls %s | wc -l", dir);
	p = popen(cmd, "r");
	cr_assert_eq(fscanf(p, "%d", &files), 1);
	pclose(p);
	cr_assert_eq(files, 1, "expected only x.wnn, found %d files", files);
}

static long file_size(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0);
	return (long)st.st_size;
}

static void rewrite(const char *path, long offset, int xor_mask, long truncate_to)
{
	FILE *f = fopen(path, "r+b");
	int ch;

	cr_assert_not_null(f);
	if (xor_mask) {
		fseek(f, offset, SEEK_SET);
		ch = fgetc(f);
		fseek(f, offset, SEEK_SET);
		fputc(ch ^ xor_mask, f);
	}
	fclose(f);
	if (truncate_to >= 0)
		cr_assert_eq(truncate(path, truncate_to), 0);
}

Test(save, a_flipped_bit_fails_the_checksum)
{
	char path[128];
	wnn_agent *a = trained_agent(40), *b = NULL;

	path_of(path, sizeof(path), "bad.wnn");
	wnn_agent_save(a, path);
	rewrite(path, 200, 0x10, -1);
	cr_assert_eq(wnn_agent_load(ctx, path, &b), WNN_ERR_CHECKSUM);
	cr_assert_null(b);
	cr_assert_neq(strstr(wnn_ctx_errmsg(ctx), "CRC"), NULL, "%s", wnn_ctx_errmsg(ctx));
}

Test(save, a_truncated_file_is_rejected)
{
	char path[128];
	wnn_agent *a = trained_agent(40), *b = NULL;

	path_of(path, sizeof(path), "short.wnn");
	wnn_agent_save(a, path);
	rewrite(path, 0, 0, file_size(path) - 9);
	cr_assert_eq(wnn_agent_load(ctx, path, &b), WNN_ERR_FORMAT);
	cr_assert_null(b);
	cr_assert_neq(strstr(wnn_ctx_errmsg(ctx), "truncated"), NULL, "%s", wnn_ctx_errmsg(ctx));
	rewrite(path, 0, 0, 10);
	cr_assert_eq(wnn_agent_load(ctx, path, &b), WNN_ERR_FORMAT);
	rewrite(path, 0, 0, 0);
	cr_assert_eq(wnn_agent_load(ctx, path, &b), WNN_ERR_FORMAT);
}

Test(save, another_format_or_version_is_rejected)
{
	char path[128];
	wnn_agent *a = trained_agent(3), *b = NULL;

	path_of(path, sizeof(path), "v.wnn");
	wnn_agent_save(a, path);
	rewrite(path, 4, 0x02, -1); /* version 1 -> 3 */
	cr_assert_eq(wnn_agent_load(ctx, path, &b), WNN_ERR_FORMAT);
	cr_assert_neq(strstr(wnn_ctx_errmsg(ctx), "version"), NULL, "%s", wnn_ctx_errmsg(ctx));
	rewrite(path, 4, 0x02, -1);
	rewrite(path, 0, 'X' ^ 'W', -1);
	cr_assert_eq(wnn_agent_load(ctx, path, &b), WNN_ERR_FORMAT);
	cr_assert_null(b);
}

Test(save, a_missing_file_is_an_io_error)
{
	wnn_agent *b = NULL;

	cr_assert_eq(wnn_agent_load(ctx, "/nonexistent/agent.wnn", &b), WNN_ERR_IO);
	cr_assert_neq(strstr(wnn_ctx_errmsg(ctx), "/nonexistent/agent.wnn"), NULL);
}

Test(save, a_failed_load_leaves_the_other_agents_untouched)
{
	char path[128];
	wnn_agent *a = trained_agent(30), *b = NULL, *copy;

	path_of(path, sizeof(path), "keep.wnn");
	wnn_agent_save(a, path);
	cr_assert_eq(wnn_agent_load(ctx, path, &copy), 0);
	rewrite(path, 170, 0xFF, -1);
	cr_assert_neq(wnn_agent_load(ctx, path, &b), 0);
	assert_same_agent(a, copy);
}

Test(save, an_unwritable_path_is_an_io_error)
{
	wnn_agent *a = trained_agent(3);

	cr_assert_eq(wnn_agent_save(a, "/nonexistent-dir/agent.wnn"), WNN_ERR_IO);
	cr_assert_neq(strstr(wnn_ctx_errmsg(ctx), "nonexistent-dir"), NULL, "%s", wnn_ctx_errmsg(ctx));
}
