/* SPDX-License-Identifier: MIT */
/* test_bridge.c - rtl/wnn_uart_bridge.v frame by frame (docs/protocol.md), through the simulated
 * board.
 *
 * Usage: test-bridge PTY   (PTY: the slave that build/sim/uart-pty printed; run it without faults)
 * Sends hand-made request frames over the pseudo-terminal and checks every response byte for
 * byte: bursts, fixed-address bursts, bus errors (an undefined register, an unmapped address),
 * refused frames (bad length, reserved bits, misaligned address, bad CRC), idempotent repeats
 * (a repeated write is not executed again, a repeated read gets the kept response), CMD.NEW, the
 * inter-byte timeout, resynchronisation after garbage, and two requests back to back. Exit 0 when
 * every check passed, 1 otherwise. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "wnn_proto.h"
#include "wnn_regmap.h"

#define TIMEOUT_MS 2000

typedef struct chan {
	int fd;
	uint8_t seq;
	wnn_proto_parser parser;
	unsigned checks, failures;
} chan;

#define CHECK(l, cond, ...)                                                                        \
	do {                                                                                       \
		(l)->checks++;                                                                     \
		if (!(cond)) {                                                                     \
			(l)->failures++;                                                           \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);                                \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
		}                                                                                  \
	} while (0)

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L};
	nanosleep(&ts, NULL);
}

static void send_bytes(chan *l, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(l->fd, p, n);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			sleep_ms(1);
			continue;
		}
		if (w < 0) {
			perror("test-bridge: write");
			exit(2);
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Waits up to ms for the next good response frame; 1 if one came. Raw bytes of it in raw. */
static int receive(chan *l, wnn_proto_response *r, unsigned ms)
{
	uint64_t deadline = now_ms() + ms;
	uint8_t b;

	for (;;) {
		int ev;
		while ((ev = wnn_proto_parser_pop(&l->parser, r)) != WNN_PROTO_NONE)
			if (ev == WNN_PROTO_FRAME)
				return 1;
		uint64_t t = now_ms();
		if (t >= deadline)
			return 0;
		struct pollfd pfd = {.fd = l->fd, .events = POLLIN};
		if (poll(&pfd, 1, (int)(deadline - t)) <= 0)
			continue;
		if (read(l->fd, &b, 1) == 1)
			wnn_proto_parser_push(&l->parser, b);
	}
}

static size_t encode(uint8_t *frame, uint8_t seq, uint8_t cmd, uint16_t addr, uint8_t len,
		     const uint32_t *data)
{
	static wnn_proto_request rq; /* test program: 1 KiB off the stack */
	memset(&rq, 0, sizeof(rq));
	rq.seq = seq;
	rq.cmd = cmd;
	rq.addr = addr;
	rq.len = len;
	if (data && (cmd & WNN_PROTO_CMD_WRITE))
		memcpy(rq.data, data, len * sizeof(*data));
	return wnn_proto_encode_request(frame, WNN_PROTO_MAX_REQUEST, &rq);
}

/* One request with a fresh SEQ; returns 1 and the response, or 0 if none came. */
static int request(chan *l, uint8_t cmd, uint16_t addr, uint8_t len, const uint32_t *data,
		   wnn_proto_response *r)
{
	uint8_t frame[WNN_PROTO_MAX_REQUEST];
	size_t n = encode(frame, ++l->seq, cmd, addr, len, data);

	send_bytes(l, frame, n);
	while (receive(l, r, TIMEOUT_MS))
		if (r->seq == l->seq)
			return 1;
	return 0;
}

static uint32_t read_reg(chan *l, uint16_t addr)
{
	wnn_proto_response r;

	if (!request(l, 0, addr, 1, NULL, &r) ||
	    r.status != (WNN_PROTO_OK | WNN_PROTO_STATUS_READ) || r.count != 1) {
		printf("FAIL: read of 0x%03X got no OK response\n", addr);
		l->failures++;
		return 0;
	}
	return r.data[0];
}

static void write_reg(chan *l, uint16_t addr, uint32_t v)
{
	wnn_proto_response r;

	if (!request(l, WNN_PROTO_CMD_WRITE, addr, 1, &v, &r) || r.status != WNN_PROTO_OK) {
		printf("FAIL: write of 0x%03X got no OK response\n", addr);
		l->failures++;
	}
}

static void wait_done(chan *l)
{
	for (int i = 0; i < 1000; i++) {
		uint32_t st = read_reg(l, WNN_REG_STATUS);
		if (!WNN_STATUS_BUSY_GET(st))
			return;
	}
	printf("FAIL: the device stays busy\n");
	l->failures++;
}

/* a mask of the n low bits, n <= 64 */
static uint64_t low_bits(uint32_t n)
{
	return n >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
}

static void expect_status(chan *l, const char *what, const wnn_proto_response *r, int got,
			  uint8_t status, uint8_t count)
{
	CHECK(l, got, "%s: no response", what);
	if (got)
		CHECK(l, r->status == status && r->count == count,
		      "%s: expected status 0x%02X (%s) count %u, got 0x%02X (%s) count %u", what,
		      status, wnn_proto_status_name(status), count, r->status,
		      wnn_proto_status_name(r->status), r->count);
}

static void test_reads_and_bursts(chan *l)
{
	wnn_proto_response r;
	uint32_t w[4] = {0x01234567u, 0x89ABCDEFu, 0x00C0FFEEu, 0xDEADBEEFu};
	uint32_t rank[3] = {7, 8, 9};

	CHECK(l, read_reg(l, WNN_REG_ID) == WNN_ID_VALUE, "ID: expected 0x%08X", WNN_ID_VALUE);
	expect_status(l, "burst read of 4", &r, request(l, 0, WNN_REG_ID, 4, NULL, &r),
		      WNN_PROTO_OK | WNN_PROTO_STATUS_READ, 4);
	CHECK(l, r.data[0] == WNN_ID_VALUE && (r.data[1] >> 8) == (WNN_VERSION_VALUE >> 8),
	      "burst read: ID 0x%08X VERSION 0x%08X", r.data[0], r.data[1]);
	CHECK(l,
	      r.data[2] == read_reg(l, WNN_REG_PARAMS) && r.data[3] == read_reg(l, WNN_REG_PARAMS2),
	      "burst read of PARAMS/PARAMS2 differs from single reads");

	/* X and Y keep the bits they have (X: PARAMS.IN_W, Y: OUT_W; none without READBACK) */
	uint32_t params = read_reg(l, WNN_REG_PARAMS);
	uint32_t rb = WNN_PARAMS2_READBACK_GET(read_reg(l, WNN_REG_PARAMS2));
	uint64_t in_mask = rb ? low_bits(WNN_PARAMS_IN_W_GET(params)) : 0;
	uint64_t out_mask = rb ? low_bits(WNN_PARAMS_OUT_W_GET(params)) : 0;
	uint32_t keep[4] = {(uint32_t)in_mask, (uint32_t)(in_mask >> 32), (uint32_t)out_mask,
			    (uint32_t)(out_mask >> 32)};
	expect_status(l, "burst write of 4 at X_LO", &r,
		      request(l, WNN_PROTO_CMD_WRITE, WNN_REG_X_LO, 4, w, &r), WNN_PROTO_OK, 4);
	expect_status(l, "burst read of 4 at X_LO", &r, request(l, 0, WNN_REG_X_LO, 4, NULL, &r),
		      WNN_PROTO_OK | WNN_PROTO_STATUS_READ, 4);
	for (int i = 0; i < 4; i++)
		CHECK(l, r.data[i] == (w[i] & keep[i]), "word %d: wrote 0x%08X, read 0x%08X", i,
		      w[i], r.data[i]);

	expect_status(
	    l, "fixed write of 3 at RANK", &r,
	    request(l, WNN_PROTO_CMD_WRITE | WNN_PROTO_CMD_FIXED, WNN_REG_RANK, 3, rank, &r),
	    WNN_PROTO_OK, 3);
	CHECK(l, read_reg(l, WNN_REG_RANK) == (rb ? 9u : 0u),
	      "fixed write: RANK holds the last word, 9");
	CHECK(l, read_reg(l, WNN_REG_X_HI) == (w[1] & keep[1]), "fixed write touched X_HI");
	expect_status(l, "fixed read of 64 ID", &r,
		      request(l, WNN_PROTO_CMD_FIXED, WNN_REG_ID, 64, NULL, &r),
		      WNN_PROTO_OK | WNN_PROTO_STATUS_READ, 64);
	for (int i = 0; i < 64; i++)
		CHECK(l, r.data[i] == WNN_ID_VALUE, "fixed read word %d: 0x%08X", i, r.data[i]);
}

static void test_bus_errors(chan *l)
{
	wnn_proto_response r, one;
	uint8_t defined = 0;
	uint32_t v = 1;

	/* the first undefined register from 0, found with single reads */
	while (defined < 64 && request(l, 0, (uint16_t)(4u * defined), 1, NULL, &one) &&
	       one.status == (WNN_PROTO_OK | WNN_PROTO_STATUS_READ))
		defined++;
	CHECK(l, defined > 4 && defined < 64, "no undefined register below 0x100 (%u)", defined);
	expect_status(l, "burst into an undefined register", &r, request(l, 0, 0, 64, NULL, &r),
		      WNN_PROTO_BUS_ERROR | WNN_PROTO_STATUS_READ, defined);
	CHECK(l, r.data[0] == WNN_ID_VALUE, "bus-error burst: data before the error is kept");
	CHECK(l, WNN_STATUS_BUS_ERROR_GET(read_reg(l, WNN_REG_STATUS)),
	      "STATUS.BUS_ERROR not set by the failed access");
	CHECK(l, read_reg(l, WNN_REG_BUS_ERR_ADDR) == 4u * defined, "BUS_ERR_ADDR: expected 0x%03X",
	      4u * defined);
	write_reg(l, WNN_REG_STATUS, WNN_STATUS_BUS_ERROR_MASK);
	expect_status(l, "read above the map", &r, request(l, 0, 0x1000, 1, NULL, &r),
		      WNN_PROTO_BUS_ERROR | WNN_PROTO_STATUS_READ, 0);
	expect_status(l, "write above the map", &r,
		      request(l, WNN_PROTO_CMD_WRITE, 0x8000, 1, &v, &r), WNN_PROTO_BUS_ERROR, 0);
	expect_status(l, "write to an undefined register", &r,
		      request(l, WNN_PROTO_CMD_WRITE, (uint16_t)(4u * defined), 1, &v, &r),
		      WNN_PROTO_BUS_ERROR, 0);
	write_reg(l, WNN_REG_STATUS, WNN_STATUS_BUS_ERROR_MASK);
}

static void test_refusals(chan *l)
{
	static uint32_t words[65];
	uint8_t frame[WNN_PROTO_MAX_REQUEST];
	wnn_proto_response r;
	uint32_t before = read_reg(l, WNN_REG_X_LO);
	size_t n;

	for (int i = 0; i < 65; i++)
		words[i] = 0x1000u + (uint32_t)i;
	expect_status(l, "LEN 0", &r, request(l, 0, WNN_REG_ID, 0, NULL, &r), WNN_PROTO_BAD_LENGTH,
		      0);
	expect_status(l, "read LEN 65", &r, request(l, 0, WNN_REG_ID, 65, NULL, &r),
		      WNN_PROTO_BAD_LENGTH, 0);
	expect_status(l, "write LEN 65", &r,
		      request(l, WNN_PROTO_CMD_WRITE, WNN_REG_X_LO, 65, words, &r),
		      WNN_PROTO_BAD_LENGTH, 0);
	expect_status(l, "reserved CMD bit", &r,
		      request(l, WNN_PROTO_CMD_WRITE | 0x40u, WNN_REG_X_LO, 1, words, &r),
		      WNN_PROTO_BAD_COMMAND, 0);
	expect_status(l, "misaligned address", &r,
		      request(l, WNN_PROTO_CMD_WRITE, WNN_REG_X_LO + 2, 1, words, &r),
		      WNN_PROTO_BAD_COMMAND, 0);
	/* a bit flipped after the CRC was computed */
	n = encode(frame, ++l->seq, WNN_PROTO_CMD_WRITE, WNN_REG_X_LO, 1, words);
	frame[7] ^= 0x10u;
	send_bytes(l, frame, n);
	expect_status(l, "corrupted write", &r, receive(l, &r, TIMEOUT_MS), WNN_PROTO_CRC_ERROR, 0);
	CHECK(l, r.seq == l->seq, "CRC_ERROR carries the SEQ received: expected %u, got %u", l->seq,
	      r.seq);
	/* a good CRC, but not the end byte after it: a frame shifted by a lost or repeated byte */
	n = encode(frame, ++l->seq, WNN_PROTO_CMD_WRITE, WNN_REG_X_LO, 1, words);
	frame[n - 1] = 0x00;
	send_bytes(l, frame, n);
	expect_status(l, "write without its end byte", &r, receive(l, &r, TIMEOUT_MS),
		      WNN_PROTO_CRC_ERROR, 0);
	CHECK(l, read_reg(l, WNN_REG_X_LO) == before, "a refused write changed X_LO");
}

static void test_idempotency(chan *l)
{
	uint8_t frame[WNN_PROTO_MAX_REQUEST], again[WNN_PROTO_MAX_REQUEST];
	wnn_proto_response r1, r2;
	uint32_t nop = WNN_CMD_OP_SET(WNN_OP_NOP), ops0, ops;
	size_t n;
	int got1, got2;

	write_reg(l, WNN_REG_SLOT, 0);
	wait_done(l);
	ops0 = read_reg(l, WNN_REG_OPS_DONE);
	/* the same write frame twice, as a host does when the first response is lost */
	n = encode(frame, ++l->seq, WNN_PROTO_CMD_WRITE, WNN_REG_CMD, 1, &nop);
	send_bytes(l, frame, n);
	got1 = receive(l, &r1, TIMEOUT_MS);
	send_bytes(l, frame, n);
	got2 = receive(l, &r2, TIMEOUT_MS);
	expect_status(l, "write CMD", &r1, got1, WNN_PROTO_OK, 1);
	expect_status(l, "write CMD repeated", &r2, got2, WNN_PROTO_OK, 1);
	CHECK(l, got1 && got2 && r1.seq == r2.seq, "the repeat's response has another SEQ");
	wait_done(l);
	ops = read_reg(l, WNN_REG_OPS_DONE);
	CHECK(l, ops == ops0 + 1, "a repeated CMD write ran %u operations, expected 1", ops - ops0);

	/* the same content with a new SEQ is a new request */
	ops0 = ops;
	write_reg(l, WNN_REG_CMD, nop);
	wait_done(l);
	ops = read_reg(l, WNN_REG_OPS_DONE);
	CHECK(l, ops == ops0 + 1, "CMD write with a new SEQ ran %u operations, expected 1",
	      ops - ops0);

	/* the last executed frame's SEQ with other content is new; a CMD.NEW frame runs every time
	 */
	ops0 = ops;
	n = encode(frame, l->seq, WNN_PROTO_CMD_WRITE, WNN_REG_CMD, 1, &nop);
	send_bytes(l, frame, n);
	got1 = receive(l, &r1, TIMEOUT_MS);
	expect_status(l, "write CMD with the last SEQ", &r1, got1, WNN_PROTO_OK, 1);
	wait_done(l);
	n = encode(again, ++l->seq, WNN_PROTO_CMD_WRITE | WNN_PROTO_CMD_NEW, WNN_REG_CMD, 1, &nop);
	for (int i = 0; i < 2; i++) { /* back to back: the second is a repeat but for NEW */
		send_bytes(l, again, n);
		got2 = receive(l, &r2, TIMEOUT_MS);
		expect_status(l, "write CMD with NEW", &r2, got2, WNN_PROTO_OK, 1);
	}
	wait_done(l);
	ops = read_reg(l, WNN_REG_OPS_DONE);
	CHECK(l, ops == ops0 + 3,
	      "SEQ reused with new content, then a NEW frame twice: %u "
	      "operations, expected 3",
	      ops - ops0);

	/* a repeated read is answered from the kept response, byte for byte */
	n = encode(frame, ++l->seq, 0, WNN_REG_ID, 8, NULL);
	send_bytes(l, frame, n);
	got1 = receive(l, &r1, TIMEOUT_MS);
	send_bytes(l, frame, n);
	got2 = receive(l, &r2, TIMEOUT_MS);
	expect_status(l, "read", &r1, got1, WNN_PROTO_OK | WNN_PROTO_STATUS_READ, 8);
	CHECK(l,
	      got1 && got2 && r1.seq == r2.seq && r1.status == r2.status && r1.count == r2.count &&
		  !memcmp(r1.data, r2.data, r1.count * sizeof(r1.data[0])),
	      "repeated read: another response");
}

static void test_timeout_and_resync(chan *l)
{
	uint8_t frame[WNN_PROTO_MAX_REQUEST], junk[64];
	uint32_t zero = 0;
	wnn_proto_response r;
	size_t n;
	int got;

	/* half a frame, a pause longer than the inter-byte timeout: TIMEOUT; then a whole frame */
	n = encode(frame, ++l->seq, WNN_PROTO_CMD_WRITE, WNN_REG_CMD, 1, &zero);
	send_bytes(l, frame, 5);
	got = receive(l, &r, TIMEOUT_MS);
	expect_status(l, "partial frame", &r, got, WNN_PROTO_TIMEOUT, 0);
	CHECK(l, got && r.seq == l->seq, "TIMEOUT carries the SEQ received: expected %u, got %u",
	      l->seq, r.seq);
	/* only a start byte: no SEQ to answer to */
	send_bytes(l, frame, 1);
	CHECK(l, !receive(l, &r, 100), "a lone start byte was answered (status 0x%02X)", r.status);
	n = encode(frame, ++l->seq, 0, WNN_REG_ID, 1, NULL);
	send_bytes(l, frame, n);
	got = receive(l, &r, TIMEOUT_MS);
	expect_status(l, "frame after a timed-out partial", &r, got,
		      WNN_PROTO_OK | WNN_PROTO_STATUS_READ, 1);
	CHECK(l, got && r.seq == l->seq, "expected SEQ %u, got %u", l->seq, r.seq);

	/* garbage without a start byte, directly followed by a frame */
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37u + 11u) == WNN_PROTO_SOF_REQUEST
			      ? 0
			      : (uint8_t)(i * 37u + 11u);
	send_bytes(l, junk, sizeof(junk));
	n = encode(frame, ++l->seq, 0, WNN_REG_ID, 1, NULL);
	send_bytes(l, frame, n);
	got = receive(l, &r, TIMEOUT_MS);
	CHECK(l, got && r.seq == l->seq && r.data[0] == WNN_ID_VALUE,
	      "no answer to a frame after garbage");

	/* a stray start byte and a long LEN: the bridge waits, times out, then takes the next frame
	 */
	junk[0] = WNN_PROTO_SOF_REQUEST;
	junk[1] = 0;
	junk[2] = WNN_PROTO_CMD_WRITE;
	junk[3] = 200;
	send_bytes(l, junk, 8);
	sleep_ms(50);
	n = encode(frame, ++l->seq, 0, WNN_REG_ID, 1, NULL);
	send_bytes(l, frame, n);
	while ((got = receive(l, &r, TIMEOUT_MS)) && r.seq != l->seq)
		;
	CHECK(l, got && r.seq == l->seq, "no answer after a stray start byte and a timeout");
}

static void test_back_to_back(chan *l)
{
	uint8_t frames[2 * WNN_PROTO_MAX_REQUEST];
	wnn_proto_response r1, r2;
	size_t n;
	uint8_t s1 = ++l->seq, s2 = ++l->seq;
	uint32_t v = 0x5A5A1234u;
	/* PRNG_LO keeps all 32 bits (when the build has READBACK; else it reads 0) */
	uint32_t want = WNN_PARAMS2_READBACK_GET(read_reg(l, WNN_REG_PARAMS2)) ? v : 0;

	n = encode(frames, s1, WNN_PROTO_CMD_WRITE, WNN_REG_PRNG_LO, 1, &v);
	n += encode(frames + n, s2, 0, WNN_REG_PRNG_LO, 2, NULL);
	send_bytes(l, frames, n);
	int got1 = receive(l, &r1, TIMEOUT_MS), got2 = receive(l, &r2, TIMEOUT_MS);
	CHECK(l, got1 && r1.seq == s1 && r1.status == WNN_PROTO_OK, "first of two: no OK");
	CHECK(l,
	      got2 && r2.seq == s2 && r2.status == (WNN_PROTO_OK | WNN_PROTO_STATUS_READ) &&
		  r2.data[0] == want,
	      "second of two: expected PRNG_LO 0x%08X", want);
}

int main(int argc, char **argv)
{
	chan l;
	struct termios t;

	if (argc != 2) {
		fprintf(stderr, "usage: test-bridge PTY\n");
		return 2;
	}
	memset(&l, 0, sizeof(l));
	wnn_proto_parser_init(&l.parser);
	l.fd = open(argv[1], O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (l.fd < 0 || tcgetattr(l.fd, &t)) {
		fprintf(stderr, "test-bridge: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	cfmakeraw(&t);
	tcsetattr(l.fd, TCSANOW, &t);
	tcflush(l.fd, TCIOFLUSH);
	l.seq = 100;
	/* a first frame with CMD.NEW, so an earlier session's kept SEQ cannot interfere */
	{
		wnn_proto_response r;
		int got = request(&l, WNN_PROTO_CMD_NEW, WNN_REG_ID, 1, NULL, &r);
		expect_status(&l, "first frame (NEW)", &r, got,
			      WNN_PROTO_OK | WNN_PROTO_STATUS_READ, 1);
	}
	test_reads_and_bursts(&l);
	test_bus_errors(&l);
	test_refusals(&l);
	test_idempotency(&l);
	test_timeout_and_resync(&l);
	test_back_to_back(&l);
	printf("test-bridge: %u checks, %u failed (parser: %" PRIu64 " frames, %" PRIu64
	       " corrupt, %" PRIu64 " bytes skipped)\n",
	       l.checks, l.failures, l.parser.frames, l.parser.corrupt, l.parser.skipped);
	close(l.fd);
	return l.failures ? 1 : 0;
}
