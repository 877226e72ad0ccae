/* SPDX-License-Identifier: MIT */
/* test_mmio.c - the mmio backend, unchanged, against the verilated wnn_top behind a trapped
 * mapping.
 *
 * How (mmiotrace-style emulation, x86-64 Linux): the backend is opened on an empty temporary file,
 * "mmio:FILE@OFFSET". It maps the file as it would map /dev/mem; since the file is empty, every
 * access to the mapping raises SIGBUS. The handler reads the faulting register from the fault
 * address and the access direction from the page-fault error code (REG_ERR bit 1: write), makes
 * the page exist (ftruncate), puts the device's register value there for a read, and single-steps
 * the one load or store (EFLAGS.TF). On SIGTRAP it passes a store's value to the simulated device
 * (wnn_sim_write32) and truncates the file again, which unmaps the page: the next access faults
 * too. So every volatile access of the backend reaches the RTL exactly once, in program order,
 * and the backend's code has no test hook. The device runs CLOCKS_PER_ACCESS clocks before each
 * access, as a CPU's bus access would take.
 *
 * Usage: test-mmio [--ops N] [--seed S]. Runs N random operations on the mmio backend and on golden
 * and compares every result, then every stored entry; checks the spec errors. Exit 0, 1 (a
 * mismatch) or 2 (set-up error); prints "skipped" and exits 0 on other machines. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__) && defined(WNN_HAVE_VERILATOR)
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "wnn.h"
#include "wnn_sim.h"

#define TF 0x100LL /* EFLAGS trap flag */
/* Device clocks that pass with each CPU access (a load over an SoC bus takes some; without them
 * the device would only advance by the one clock of each access while the driver polls). */
#define CLOCKS_PER_ACCESS 8u

/* The emulated device. A signal handler can reach only static storage. */
static struct {
	int fd;
	char path[64];
	wnn_sim *sim;
	uintptr_t start, end; /* the mapping of path that faulted last */
	off_t map_off;	      /* its file offset */
	int pending, write;
	uint32_t reg;
	off_t file_off;
	uint64_t reads, writes, sim_errors;
} dev;

/* Finds the mapping holding addr in /proc/self/maps; 1 if it maps dev.path. */
static int find_mapping(uintptr_t addr)
{
	static char buf[65536];
	ssize_t n, len = 0;
	int fd = open("/proc/self/maps", O_RDONLY);

	if (fd < 0)
		return 0;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');
		unsigned long long s, e, off;
		int pos = 0;
		if (next)
			*next++ = '\0';
		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &s, &e, &off, &pos) == 3 && pos &&
		    addr >= s && addr < e) {
			if (strcmp(line + pos, dev.path))
				return 0;
			dev.start = (uintptr_t)s;
			dev.end = (uintptr_t)e;
			dev.map_off = (off_t)off;
			return 1;
		}
		line = next;
	}
	return 0;
}

static void on_sigbus(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t a = (uintptr_t)si->si_addr;
	uint32_t v = 0;

	if ((a < dev.start || a >= dev.end) && !find_mapping(a)) {
		signal(sig, SIG_DFL); /* not ours: a genuine crash */
		return;
	}
	dev.file_off = dev.map_off + (off_t)(a - dev.start);
	dev.reg = (uint32_t)(dev.file_off & 0xFFF); /* register windows start on 4 KiB boundaries */
	dev.write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
	wnn_sim_idle(dev.sim, CLOCKS_PER_ACCESS);
	if (ftruncate(dev.fd, (dev.file_off & ~(off_t)0xFFF) + 0x1000))
		abort();
	if (!dev.write) {
		if (wnn_sim_read32(dev.sim, dev.reg, &v))
			dev.sim_errors++;
		if (pwrite(dev.fd, &v, 4, dev.file_off) != 4)
			abort();
		dev.reads++;
	}
	dev.pending = 1;
	uc->uc_mcontext.gregs[REG_EFL] |= TF;
}

static void on_sigtrap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint32_t v;

	(void)si;
	if (!dev.pending) {
		signal(sig, SIG_DFL);
		return;
	}
	if (dev.write) {
		if (pread(dev.fd, &v, 4, dev.file_off) != 4)
			abort();
		if (wnn_sim_write32(dev.sim, dev.reg, v))
			dev.sim_errors++;
		dev.writes++;
	}
	if (ftruncate(dev.fd, 0)) /* unmaps the page: the next access faults again */
		abort();
	dev.pending = 0;
	uc->uc_mcontext.gregs[REG_EFL] &= ~TF;
}

static uint64_t rng;
static uint64_t rnd(void)
{
	uint64_t z = (rng += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static int expect_open_error(const char *spec, int want)
{
	wnn_ctx *c;
	char err[256];
	int r = wnn_ctx_open(&c, spec, err, sizeof(err));

	if (r == want)
		return 0;
	printf("FAIL: opening '%s': expected %d (%s), got %d (%s)\n", spec, want,
	       wnn_strerror(want), r, r ? err : "opened");
	if (!r)
		wnn_ctx_close(c);
	return 1;
}

int main(int argc, char **argv)
{
	uint64_t ops = 3000, seed = 1, done = 0;
	char spec[128], err[256];
	wnn_ctx *g, *m;
	wnn_agent *ga[2], *ma[2];
	wnn_config cfg;
	struct sigaction sa;
	struct timespec t0, t1;
	int bad = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--ops"))
			ops = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 0);
	}
	rng = seed;
	printf("test-mmio: seed %" PRIu64 ", %" PRIu64 " operations\n", seed, ops);
	snprintf(dev.path, sizeof(dev.path), "/tmp/wnn-mmio-XXXXXX");
	dev.fd = mkstemp(dev.path);
	dev.sim = wnn_sim_open(NULL);
	if (dev.fd < 0 || !dev.sim) {
		fprintf(stderr, "test-mmio: set-up failed\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	sa.sa_sigaction = on_sigtrap;
	sigaction(SIGTRAP, &sa, NULL);

	bad |= expect_open_error("mmio:", WNN_ERR_INVALID);
	bad |= expect_open_error("mmio:/nonexistent/wnn", WNN_ERR_IO);
	snprintf(spec, sizeof(spec), "mmio:%s@0x1002", dev.path);
	bad |= expect_open_error(spec, WNN_ERR_INVALID);

	/* the register window 8 KiB into the "device file", as at a physical base address */
	snprintf(spec, sizeof(spec), "mmio:%s@0x2000", dev.path);
	if (wnn_ctx_open(&g, "golden", err, sizeof(err)) ||
	    wnn_ctx_open(&m, spec, err, sizeof(err))) {
		fprintf(stderr, "test-mmio: %s\n", err);
		return 2;
	}
	wnn_config_default(&cfg);
	cfg.capacity = 64;
	cfg.overflow = WNN_OVERFLOW_EVICT;
	for (int a = 0; a < 2; a++) {
		cfg.seed = seed + (uint64_t)a;
		if (wnn_agent_create(g, &cfg, &ga[a]) || wnn_agent_create(m, &cfg, &ma[a])) {
			fprintf(stderr, "test-mmio: agent: %s\n", wnn_ctx_errmsg(m));
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t acc0 = dev.reads + dev.writes;
	for (done = 0; done < ops && !bad; done++) {
		int a = (int)(rnd() & 1u), kind = (int)(rnd() % 10u), gr, mr;
		uint64_t x = rnd() & 0x3FFFFFFu, y = rnd() & 0x3FFu, gz = 0, mz = 0;
		if (kind < 5) {
			gr = wnn_train(ga[a], x & 0x3F0F0F3u, y);
			mr = wnn_train(ma[a], x & 0x3F0F0F3u, y);
		} else if (kind < 9) {
			gr = wnn_predict(ga[a], x, &gz);
			mr = wnn_predict(ma[a], x, &mz);
		} else {
			uint32_t rank = (uint32_t)(rnd() % 80u);
			gr = wnn_forget_entry(ga[a], rank);
			mr = wnn_forget_entry(ma[a], rank);
		}
		if (gr != mr || gz != mz) {
			printf("FAIL at operation %" PRIu64
			       " (kind %d, agent %d): golden rc %d z 0x%" PRIx64
			       ", mmio rc %d z 0x%" PRIx64
			       " (%s)\n  repeat: test-mmio --seed %" PRIu64 " --ops %" PRIu64 "\n",
			       done, kind, a, gr, gz, mr, mz, wnn_ctx_errmsg(m), seed, ops);
			bad = 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	uint64_t accesses = dev.reads + dev.writes - acc0;
	for (int a = 0; a < 2 && !bad; a++) {
		wnn_stats gs, ms;
		wnn_get_stats(ga[a], &gs);
		wnn_get_stats(ma[a], &ms);
		if (gs.entries != ms.entries) {
			printf("FAIL: agent %d holds %u entries on golden, %u on mmio\n", a,
			       gs.entries, ms.entries);
			bad = 1;
		}
		for (uint32_t k = 0; k < gs.entries && !bad; k++) {
			uint64_t gx, gy, mx, my;
			wnn_read_entry(ga[a], k, &gx, &gy);
			wnn_read_entry(ma[a], k, &mx, &my);
			if (gx != mx || gy != my) {
				printf("FAIL: agent %d entry %u: golden (0x%" PRIx64 ", 0x%" PRIx64
				       "), mmio (0x%" PRIx64 ", 0x%" PRIx64 ")\n",
				       a, k, gx, gy, mx, my);
				bad = 1;
			}
		}
	}
	wnn_ctx_close(m);
	wnn_ctx_close(g);
	dev.start = dev.end = 0; /* a new mapping may reuse the addresses */

	/* the window at the start of the file, through a second context */
	snprintf(spec, sizeof(spec), "mmio:%s", dev.path);
	if (!bad && wnn_ctx_open(&m, spec, err, sizeof(err))) {
		printf("FAIL: %s\n", err);
		bad = 1;
	} else if (!bad) {
		wnn_agent *a, *b;
		uint64_t z = 0, gz = 1;
		wnn_ctx_open(&g, "golden", err, sizeof(err));
		if (wnn_agent_create(m, &cfg, &a) || wnn_train(a, 5, 3) || wnn_predict(a, 5, &z) ||
		    wnn_agent_create(g, &cfg, &b) || wnn_train(b, 5, 3) || wnn_predict(b, 5, &gz) ||
		    z != gz) {
			printf("FAIL: the window at offset 0: z 0x%" PRIx64 ", golden 0x%" PRIx64
			       " %s\n",
			       z, gz, wnn_ctx_errmsg(m));
			bad = 1;
		}
		wnn_ctx_close(m);
		wnn_ctx_close(g);
	}
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	printf("test-mmio: %s after %" PRIu64 " operations: %" PRIu64 " reads and %" PRIu64
	       " writes trapped and emulated (%.1f us each, %" PRIu64
	       " bus errors from the device)\n",
	       bad ? "FAILED" : "all equal", done, dev.reads, dev.writes,
	       accesses ? s * 1e6 / (double)accesses : 0.0, dev.sim_errors);
	if (!bad && dev.sim_errors)
		bad = 1;
	wnn_sim_close(dev.sim);
	close(dev.fd);
	unlink(dev.path);
	return bad;
}

#else
int main(void)
{
	printf("test-mmio: skipped (needs x86-64 Linux and the verilator backend)\n");
	return 0;
}
#endif
