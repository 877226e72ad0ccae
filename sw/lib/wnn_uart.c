/* SPDX-License-Identifier: MIT */
/* wnn_uart.c - the "uart" backend: the wnn_hw driver over a serial line to rtl/wnn_uart_bridge.v.
 *
 * Every register access is one request frame and one response frame (docs/protocol.md). A request
 * whose response does not come in time, or comes corrupted, or that the device refused, is sent
 * again with the same SEQ: the bridge executes a frame once and answers a repeat from its kept
 * response, so a write is never applied twice. The first frame of a session carries CMD.NEW (a
 * read of ID, safe to repeat), so a SEQ left over from an earlier session cannot be mistaken for a
 * repeat. Spec and statistics: wnn_uart.h. Linux only (termios speeds beyond POSIX). */
#ifdef __linux__
#define _DEFAULT_SOURCE /* cfsetspeed constants above 38400, CRTSCTS */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "wnn_hw.h"
#include "wnn_proto.h"
#include "wnn_regmap.h"
#include "wnn_uart.h"

typedef struct uart_link {
	wnn_ctx *ctx;
	int fd;
	char path[256];
	uint32_t baud;
	unsigned timeout_ms, retries;
	uint8_t seq;
	int synced; /* a frame of this session was executed: CMD.NEW no longer needed */
	wnn_proto_parser parser;
	uint8_t pending[512]; /* bytes read after the response that ended a wait */
	size_t n_pending;
	wnn_proto_response rsp;
	wnn_uart_stats stats;
} uart_link;

typedef struct uart_dev {
	void *hw; /* the wnn_hw driver; it owns link (as its bus) */
	uart_link *link;
} uart_dev;

enum { AWAIT_DONE = 1, AWAIT_RETRY = 2 };

static const struct {
	uint32_t baud;
	speed_t code;
} speeds[] = {
    {9600, B9600},	 {19200, B19200},     {38400, B38400},	   {57600, B57600},
    {115200, B115200},	 {230400, B230400},   {460800, B460800},   {500000, B500000},
    {576000, B576000},	 {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
    {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
    {3500000, B3500000}, {4000000, B4000000},
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int link_io_fail(uart_link *l, const char *what)
{
	return wnn_fail(l->ctx, WNN_ERR_IO, "%s %s: %s", what, l->path, strerror(errno));
}

static int write_all(uart_link *l, const uint8_t *p, size_t n, uint64_t deadline)
{
	while (n) {
		ssize_t w = write(l->fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			l->stats.bytes_sent += (uint64_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN)
			return link_io_fail(l, "writing to");
		uint64_t t = now_ms();
		if (t >= deadline)
			return wnn_fail(l->ctx, WNN_ERR_TIMEOUT, "%s does not take more bytes",
					l->path);
		struct pollfd pfd = {.fd = l->fd, .events = POLLOUT};
		if (poll(&pfd, 1, (int)(deadline - t)) < 0 && errno != EINTR)
			return link_io_fail(l, "waiting to write to");
	}
	return WNN_OK;
}

/* One parser event while waiting for the response to SEQ l->seq: AWAIT_DONE (rdata filled),
 * AWAIT_RETRY, 0 (keep waiting) or an error. */
static int on_event(uart_link *l, int ev, int write, uint32_t n, uint32_t *rdata)
{
	const wnn_proto_response *r = &l->rsp;
	uint8_t code = r->status & WNN_PROTO_STATUS_CODE_MASK;
	int read_flag = !!(r->status & WNN_PROTO_STATUS_READ);

	if (ev == WNN_PROTO_CORRUPT) {
		l->stats.corrupt++;
		return AWAIT_RETRY;
	}
	/* The device refused a frame. Its SEQ may be ours with a bit flipped or a byte lost, so any
	 * refusal means "send it again": a repeat is never executed twice. */
	if (code == WNN_PROTO_CRC_ERROR || code == WNN_PROTO_TIMEOUT) {
		l->stats.naks++;
		return AWAIT_RETRY;
	}
	if (r->seq != l->seq) {
		l->stats.stale++;
		return 0;
	}
	switch (code) {
	case WNN_PROTO_OK:
		if (read_flag == write || r->count != n)
			return wnn_fail(
			    l->ctx, WNN_ERR_IO,
			    "response to SEQ %u does not fit the request: status 0x%02X, "
			    "count %u for %u words",
			    l->seq, r->status, r->count, (unsigned)n);
		if (!write)
			memcpy(rdata, r->data, n * sizeof(*rdata));
		return AWAIT_DONE;
	case WNN_PROTO_BUS_ERROR:
		l->stats.bus_errors++;
		return wnn_fail(l->ctx, WNN_ERR_BUS, "bus error after %u of %u words", r->count,
				(unsigned)n);
	default:
		l->stats.refused++;
		return AWAIT_RETRY;
	}
}

/* Feeds bytes to the parser until an event decides the wait; keeps the rest for later. */
static int feed(uart_link *l, const uint8_t *in, size_t n, int write, uint32_t words,
		uint32_t *rdata)
{
	for (size_t i = 0; i < n; i++) {
		int ev, r = 0;
		wnn_proto_parser_push(&l->parser, in[i]);
		while (!r && (ev = wnn_proto_parser_pop(&l->parser, &l->rsp)) != WNN_PROTO_NONE)
			r = on_event(l, ev, write, words, rdata);
		if (r) {
			size_t rest = n - i - 1;
			if (rest > sizeof(l->pending) - l->n_pending)
				rest = sizeof(l->pending) - l->n_pending;
			memmove(l->pending + l->n_pending, in + i + 1, rest);
			l->n_pending += rest;
			return r;
		}
	}
	return 0;
}

/* Waits until deadline for the response; a response that has begun and then pauses for a quarter
 * of the timeout has lost a byte (a USB serial adapter delivers a short frame in one transfer),
 * so the wait ends early. Returns as on_event, or 0 when the wait ended without a decision. */
static int await(uart_link *l, uint64_t deadline, int write, uint32_t words, uint32_t *rdata)
{
	uint64_t last_rx = 0, gap = l->timeout_ms / 4u + 1u;
	uint8_t in[512];
	int r;

	if (l->n_pending) {
		size_t n = l->n_pending;
		memcpy(in, l->pending, n);
		l->n_pending = 0;
		if ((r = feed(l, in, n, write, words, rdata)))
			return r;
	}
	for (;;) {
		uint64_t t = now_ms(), until = deadline;
		if (last_rx && l->parser.n && last_rx + gap < until)
			until = last_rx + gap;
		if (t >= until)
			return 0;
		struct pollfd pfd = {.fd = l->fd, .events = POLLIN};
		int p = poll(&pfd, 1, (int)(until - t));
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			return link_io_fail(l, "waiting for");
		if (!p)
			continue;
		if (!(pfd.revents & POLLIN) && (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))) {
			errno = EIO;
			return link_io_fail(l, "lost");
		}
		ssize_t n = read(l->fd, in, sizeof(in));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return link_io_fail(l, "reading from");
		l->stats.bytes_received += (uint64_t)n;
		if (n > 0)
			last_rx = now_ms();
		if ((r = feed(l, in, (size_t)n, write, words, rdata)))
			return r;
	}
}

/* One request with its SEQ, repeated until a response decides it. */
static int transact(uart_link *l, uint8_t cmd, uint32_t addr, uint32_t n, const uint32_t *wdata,
		    uint32_t *rdata)
{
	uint8_t
	    frame[WNN_PROTO_REQUEST_HEADER + 4u * WNN_PROTO_DEVICE_MAX_WORDS + WNN_PROTO_TRAILER_BYTES];
	int write = !!(cmd & WNN_PROTO_CMD_WRITE);
	uint64_t wire_ms, skipped0 = l->parser.skipped;
	size_t size;
	int r = 0;

	if (!n || n > WNN_PROTO_DEVICE_MAX_WORDS || addr > 0xFFFFu || (addr & 3u))
		return wnn_fail(l->ctx, WNN_ERR_INVALID, "bad burst: %u words at 0x%X", (unsigned)n,
				(unsigned)addr);
	{
		wnn_proto_request req;
		req.seq = l->seq;
		req.cmd = (uint8_t)(cmd | (l->synced ? 0u : WNN_PROTO_CMD_NEW));
		req.len = (uint8_t)n;
		req.addr = (uint16_t)addr;
		if (write)
			memcpy(req.data, wdata, n * sizeof(*wdata));
		size = wnn_proto_encode_request(frame, sizeof(frame), &req);
	}
	/* 10 bits a byte, both frames, twice over for adapters that buffer */
	wire_ms = (uint64_t)(size + wnn_proto_response_size(write ? 0 : WNN_PROTO_STATUS_READ,
							    (uint8_t)n)) *
		      20000u / l->baud +
		  1u;
	for (unsigned attempt = 0; attempt <= l->retries; attempt++) {
		uint64_t deadline = now_ms() + l->timeout_ms + wire_ms;
		if (attempt)
			l->stats.retries++;
		l->stats.frames++;
		r = write_all(l, frame, size, deadline);
		if (r)
			break;
		r = await(l, deadline, write, n, rdata);
		if (r == AWAIT_DONE) {
			l->stats.requests++;
			l->stats.bytes_skipped += l->parser.skipped - skipped0;
			l->seq++;
			l->synced = 1;
			return WNN_OK;
		}
		if (r < 0)
			break;
		if (!r)
			l->stats.timeouts++;
	}
	l->stats.bytes_skipped += l->parser.skipped - skipped0;
	l->seq++; /* whatever the device did with it, the next request is a new one */
	if (r < 0)
		return r;
	return wnn_fail(l->ctx, WNN_ERR_TIMEOUT,
			"%s of 0x%03X: no answer after %u frames with SEQ %u (%s, %u ms each)",
			write ? "write" : "read", (unsigned)addr, l->retries + 1u,
			(unsigned)(uint8_t)(l->seq - 1u), l->path, l->timeout_ms);
}

static int uart_read32(void *ctx, uint32_t addr, uint32_t *v)
{
	int r = transact(ctx, 0, addr, 1, NULL, v);

	if (r)
		*v = 0;
	return r;
}

static int uart_write32(void *ctx, uint32_t addr, uint32_t v)
{
	return transact(ctx, WNN_PROTO_CMD_WRITE, addr, 1, &v, NULL);
}

static void link_close(void *ctx)
{
	uart_link *l = ctx;

	if (!l)
		return;
	if (l->fd >= 0) {
		/* the exclusive mode outlives this fd while another holds the tty (the simulator
		 * does) */
		(void)ioctl(l->fd, TIOCNXCL);
		close(l->fd);
	}
	free(l);
}

/* "PATH[@BAUD][,timeout=MS][,retries=N]" */
static int parse_spec(uart_link *l, const char *arg)
{
	const char *comma = strchr(arg, ',');
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);
	char *at, *end;

	if (!len)
		return wnn_fail(l->ctx, WNN_ERR_INVALID,
				"no device: use uart:PATH[@BAUD][,timeout=MS][,retries=N]");
	if (len >= sizeof(l->path))
		return wnn_fail(l->ctx, WNN_ERR_INVALID, "device path too long");
	memcpy(l->path, arg, len);
	l->path[len] = '\0';
	at = strrchr(l->path, '@');
	if (at && at[1] && strspn(at + 1, "0123456789") == strlen(at + 1)) {
		unsigned long b = strtoul(at + 1, NULL, 10);
		size_t i;
		for (i = 0; i < sizeof(speeds) / sizeof(speeds[0]) && speeds[i].baud != b; i++)
			;
		if (i == sizeof(speeds) / sizeof(speeds[0]))
			return wnn_fail(
			    l->ctx, WNN_ERR_INVALID,
			    "baud rate %s not supported (9600 .. 4000000, standard rates)", at + 1);
		l->baud = (uint32_t)b;
		*at = '\0';
	}
	while (comma) {
		const char *opt = comma + 1;
		unsigned long v;
		comma = strchr(opt, ',');
		if (!strncmp(opt, "timeout=", 8) || !strncmp(opt, "retries=", 8)) {
			errno = 0;
			v = strtoul(opt + 8, &end, 10);
			if (errno || end == opt + 8 || (*end && *end != ',') || v > 600000u ||
			    (opt[0] == 't' && !v))
				return wnn_fail(l->ctx, WNN_ERR_INVALID, "bad option '%.*s'",
						(int)(comma ? (size_t)(comma - opt) : strlen(opt)),
						opt);
			if (opt[0] == 't')
				l->timeout_ms = (unsigned)v;
			else
				l->retries = (unsigned)v;
		} else {
			return wnn_fail(l->ctx, WNN_ERR_INVALID,
					"unknown option '%.*s' (timeout=MS, retries=N)",
					(int)(comma ? (size_t)(comma - opt) : strlen(opt)), opt);
		}
	}
	return WNN_OK;
}

static speed_t speed_code(uint32_t baud)
{
	for (size_t i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (speeds[i].baud == baud)
			return speeds[i].code;
	return B115200;
}

static int link_open(uart_link *l)
{
	struct termios t;
	struct timespec ts;

	l->fd = open(l->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (l->fd < 0)
		return link_io_fail(l, "cannot open");
	if (tcgetattr(l->fd, &t))
		return link_io_fail(l, "not a terminal:");
	(void)ioctl(l->fd, TIOCEXCL); /* one host at a time; best effort */
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON |
				 IXOFF | IXANY | INPCK);
	t.c_oflag &= ~(tcflag_t)OPOST;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB | CRTSCTS);
	t.c_cflag |= CS8 | CLOCAL | CREAD;
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (cfsetispeed(&t, speed_code(l->baud)) || cfsetospeed(&t, speed_code(l->baud)) ||
	    tcsetattr(l->fd, TCSANOW, &t))
		return link_io_fail(l, "cannot configure");
	tcflush(l->fd, TCIOFLUSH);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	l->seq = (uint8_t)(ts.tv_nsec >>
			   10); /* any start works (CMD.NEW); varied to tell sessions apart */
	return WNN_OK;
}

static int uart_open(wnn_ctx *ctx, const char *arg, void **devp)
{
	uart_dev *dev = calloc(1, sizeof(*dev));
	uart_link *l = calloc(1, sizeof(*l));
	wnn_bus bus = {.read32 = uart_read32, .write32 = uart_write32, .close = link_close};
	uint32_t id;
	int r;

	*devp = NULL;
	if (!dev || !l) {
		free(dev);
		free(l);
		return wnn_fail(ctx, WNN_ERR_NOMEM, "out of memory opening the link");
	}
	l->ctx = ctx;
	l->fd = -1;
	l->baud = WNN_UART_DEFAULT_BAUD;
	l->timeout_ms = WNN_UART_DEFAULT_TIMEOUT_MS;
	l->retries = WNN_UART_DEFAULT_RETRIES;
	wnn_proto_parser_init(&l->parser);
	r = parse_spec(l, arg);
	if (!r)
		r = link_open(l);
	if (!r) /* the session's first frame: CMD.NEW on a read */
		r = uart_read32(l, WNN_REG_ID, &id);
	if (r) {
		link_close(l);
		free(dev);
		return r;
	}
	dev->link = l;
	bus.ctx = l;
	r = wnn_hw_open(ctx, &bus, &dev->hw);
	if (r) {
		free(dev);
		return r;
	}
	*devp = dev;
	return WNN_OK;
}

/* The driver's operations on the uart_dev wrapper (it exists to reach the link's statistics). */
#define HW(dev) (((uart_dev *)(dev))->hw)

static void uart_close(void *dev)
{
	if (!dev)
		return;
	wnn_hw_close(HW(dev));
	free(dev);
}

static int uart_agent_open(void *dev, const wnn_config *cfg, const wnn_group *groups,
			   uint32_t n_groups, void **slot)
{
	return wnn_hw_agent_open(HW(dev), cfg, groups, n_groups, slot);
}

static void uart_agent_close(void *dev, void *slot)
{
	wnn_hw_agent_close(HW(dev), slot);
}

static int uart_train(void *dev, void *slot, uint64_t x, uint64_t y)
{
	return wnn_hw_train(HW(dev), slot, x, y);
}

static int uart_predict(void *dev, void *slot, uint64_t x, uint64_t *z)
{
	return wnn_hw_predict(HW(dev), slot, x, z);
}

static int uart_step(void *dev, void *slot, uint64_t x)
{
	return wnn_hw_step(HW(dev), slot, x);
}

static int uart_reset_state(void *dev, void *slot)
{
	return wnn_hw_reset_state(HW(dev), slot);
}

static int uart_forget_rank(void *dev, void *slot, uint32_t rank)
{
	return wnn_hw_forget_rank(HW(dev), slot, rank);
}

static int uart_forget_input(void *dev, void *slot, uint64_t x)
{
	return wnn_hw_forget_input(HW(dev), slot, x);
}

static int uart_clear(void *dev, void *slot)
{
	return wnn_hw_clear(HW(dev), slot);
}

static int uart_count(void *dev, void *slot, uint32_t *entries)
{
	return wnn_hw_count(HW(dev), slot, entries);
}

static int uart_read_entry(void *dev, void *slot, uint32_t rank, uint64_t *x, uint64_t *y)
{
	return wnn_hw_read_entry(HW(dev), slot, rank, x, y);
}

static int uart_get_state(void *dev, void *slot, wnn_state *st)
{
	return wnn_hw_get_state(HW(dev), slot, st);
}

static int uart_set_state(void *dev, void *slot, const wnn_state *st)
{
	return wnn_hw_set_state(HW(dev), slot, st);
}

static int uart_last_cycles(void *dev, void *slot, uint64_t *cycles)
{
	return wnn_hw_last_cycles(HW(dev), slot, cycles);
}

const wnn_backend_ops wnn_backend_uart = {
    .name = "uart",
    .open = uart_open,
    .close = uart_close,
    .agent_open = uart_agent_open,
    .agent_close = uart_agent_close,
    .train = uart_train,
    .predict = uart_predict,
    .step = uart_step,
    .reset_state = uart_reset_state,
    .forget_rank = uart_forget_rank,
    .forget_input = uart_forget_input,
    .clear = uart_clear,
    .count = uart_count,
    .read_entry = uart_read_entry,
    .get_state = uart_get_state,
    .set_state = uart_set_state,
    .last_cycles = uart_last_cycles,
};

int wnn_uart_get_stats(const wnn_ctx *ctx, wnn_uart_stats *st)
{
	if (!ctx || ctx->ops != &wnn_backend_uart)
		return WNN_ERR_UNSUPPORTED;
	*st = ((const uart_dev *)ctx->dev)->link->stats;
	return WNN_OK;
}

#else
#include "wnn_uart.h"

int wnn_uart_get_stats(const wnn_ctx *ctx, wnn_uart_stats *st)
{
	(void)ctx;
	(void)st;
	return WNN_ERR_UNSUPPORTED;
}
#endif
