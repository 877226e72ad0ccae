/* SPDX-License-Identifier: MIT */
/* test_proto.c - the UART link protocol (docs/protocol.md): CRC, frame encoding, response parser.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "wnn_proto.h"
#include "wnn_uart.h"

/* The test vectors of docs/protocol.md. */
static const uint8_t read_request[] = {0xA5, 0x12, 0x00, 0x01, 0x14, 0x00, 0x14, 0x67, 0x7E};
static const uint8_t write_request[] = {0xA5, 0x13, 0x01, 0x01, 0x10, 0x00, 0x02,
					0x00, 0x00, 0x00, 0x88, 0x94, 0x7E};
static const uint8_t read_response[] = {0x5A, 0x12, 0x80, 0x01, 0x31, 0x4E,
					0x4E, 0x57, 0x1A, 0xEF, 0x7E};
static const uint8_t write_response[] = {0x5A, 0x13, 0x00, 0x01, 0x93, 0x42, 0x7E};

/* Pushes bytes; returns the number of frames, the last in *r, and counts corrupt events. */
static int feed(wnn_proto_parser *p, const uint8_t *d, size_t n, wnn_proto_response *r,
		int *corrupt)
{
	int frames = 0;

	for (size_t i = 0; i < n; i++) {
		int ev;
		wnn_proto_parser_push(p, d[i]);
		while ((ev = wnn_proto_parser_pop(p, r)) != WNN_PROTO_NONE) {
			if (ev == WNN_PROTO_FRAME)
				frames++;
			else if (corrupt)
				(*corrupt)++;
		}
	}
	return frames;
}

Test(proto, crc16_ccitt_false_check_value)
{
	cr_assert_eq(wnn_proto_crc16(WNN_PROTO_CRC_INIT, (const uint8_t *)"123456789", 9), 0x29B1);
	/* a frame followed by its CRC has the residue 0 (the END byte is outside the CRC) */
	cr_assert_eq(wnn_proto_crc16(WNN_PROTO_CRC_INIT, read_request, sizeof(read_request) - 1),
		     0);
}

Test(proto, requests_encode_to_the_documented_bytes)
{
	static wnn_proto_request rq;
	uint8_t out[WNN_PROTO_MAX_REQUEST];

	rq.seq = 0x12;
	rq.cmd = 0;
	rq.len = 1;
	rq.addr = 0x0014;
	cr_assert_eq(wnn_proto_encode_request(out, sizeof(out), &rq), sizeof(read_request));
	cr_assert_arr_eq(out, read_request, sizeof(read_request));
	rq.seq = 0x13;
	rq.cmd = WNN_PROTO_CMD_WRITE;
	rq.addr = 0x0010;
	rq.data[0] = 2;
	cr_assert_eq(wnn_proto_encode_request(out, sizeof(out), &rq), sizeof(write_request));
	cr_assert_arr_eq(out, write_request, sizeof(write_request));
	cr_assert_eq(wnn_proto_encode_request(out, sizeof(write_request) - 1, &rq), 0,
		     "a frame that does not fit is not written");
	cr_assert_eq(wnn_proto_request_size(WNN_PROTO_CMD_WRITE, 64), 6 + 256 + 3);
	cr_assert_eq(wnn_proto_request_size(0, 64), 9);
}

Test(proto, responses_round_trip_through_the_parser)
{
	static wnn_proto_parser p;
	static wnn_proto_response r, w;
	uint8_t out[WNN_PROTO_MAX_RESPONSE];
	size_t n;

	w.seq = 0x12;
	w.status = WNN_PROTO_OK | WNN_PROTO_STATUS_READ;
	w.count = 1;
	w.data[0] = 0x574E4E31;
	n = wnn_proto_encode_response(out, sizeof(out), &w);
	cr_assert_eq(n, sizeof(read_response));
	cr_assert_arr_eq(out, read_response, n);
	wnn_proto_parser_init(&p);
	cr_assert_eq(feed(&p, write_response, sizeof(write_response), &r, NULL), 1);
	cr_assert(r.seq == 0x13 && r.status == WNN_PROTO_OK && r.count == 1);
	w.count = 255;
	for (unsigned i = 0; i < 255; i++)
		w.data[i] = i * 0x9E3779B9u;
	n = wnn_proto_encode_response(out, sizeof(out), &w);
	cr_assert_eq(n, WNN_PROTO_MAX_RESPONSE);
	cr_assert_eq(feed(&p, out, n, &r, NULL), 1);
	cr_assert(r.count == 255 && !memcmp(r.data, w.data, sizeof(w.data)));
}

Test(proto, garbage_and_a_stray_start_byte_before_a_frame_are_skipped)
{
	static wnn_proto_parser p;
	wnn_proto_response r;
	const uint8_t junk[] = {0x00, 0xFF, 0x13, 0x5A, 0x01, 0x80, 0x40}; /* 0x5A: a false start */
	int corrupt = 0;

	wnn_proto_parser_init(&p);
	cr_assert_eq(feed(&p, junk, sizeof(junk), &r, &corrupt), 0);
	/* the false start waits for 64 words; the real frame completes first and wins */
	cr_assert_eq(feed(&p, read_response, sizeof(read_response), &r, &corrupt), 1);
	cr_assert(r.seq == 0x12 && r.data[0] == 0x574E4E31);
	cr_assert_eq(corrupt, 0);
	cr_assert_eq(p.n, 0, "nothing is left after the frame");
}

Test(proto, a_truncated_frame_costs_only_itself)
{
	static wnn_proto_parser p;
	wnn_proto_response r;
	int corrupt = 0;

	wnn_proto_parser_init(&p);
	feed(&p, read_response, sizeof(read_response) - 1, &r, &corrupt);
	cr_assert_eq(feed(&p, write_response, sizeof(write_response), &r, &corrupt), 1);
	cr_assert_eq(r.seq, 0x13);
	cr_assert_eq(corrupt, 1, "the truncated frame is reported once");
}

Test(proto, a_flipped_bit_is_reported_corrupt)
{
	static wnn_proto_parser p;
	wnn_proto_response r;
	uint8_t bad[sizeof(read_response)];
	int corrupt = 0;

	for (unsigned bit = 0; bit < 8 * sizeof(bad); bit++) {
		if (bit / 8 == 0 || bit / 8 == 2 || bit / 8 == 3)
			continue; /* start byte, STATUS, COUNT: other lengths, covered by the fuzzer
				   */
		memcpy(bad, read_response, sizeof(bad));
		bad[bit / 8] ^= (uint8_t)(1u << bit % 8);
		wnn_proto_parser_init(&p);
		corrupt = 0;
		cr_assert_eq(feed(&p, bad, sizeof(bad), &r, &corrupt), 0, "bit %u", bit);
		cr_assert_eq(corrupt, 1, "bit %u", bit);
		cr_assert_eq(feed(&p, write_response, sizeof(write_response), &r, &corrupt), 1);
	}
}

Test(proto, a_duplicated_byte_then_the_repeat_parses)
{
	static wnn_proto_parser p;
	wnn_proto_response r;
	uint8_t dup[sizeof(read_response) + 1];

	memcpy(dup, read_response, 5);
	memcpy(dup + 5, read_response + 4, sizeof(read_response) - 4);
	wnn_proto_parser_init(&p);
	cr_assert_eq(feed(&p, dup, sizeof(dup), &r, NULL), 0);
	cr_assert_eq(feed(&p, read_response, sizeof(read_response), &r, NULL), 1);
	cr_assert_eq(r.seq, 0x12);
}

Test(proto, every_status_has_a_name)
{
	cr_assert_str_eq(wnn_proto_status_name(WNN_PROTO_OK | WNN_PROTO_STATUS_READ), "OK");
	cr_assert_str_eq(wnn_proto_status_name(WNN_PROTO_TIMEOUT), "TIMEOUT");
	cr_assert_str_eq(wnn_proto_status_name(9), "unknown");
}

Test(proto, uart_and_mmio_specs_are_checked_before_any_io)
{
	wnn_ctx *c;
	char err[256];

	cr_assert_eq(wnn_ctx_open(&c, "uart:", err, sizeof(err)), WNN_ERR_INVALID);
	cr_assert_eq(wnn_ctx_open(&c, "uart:/dev/null@12345", err, sizeof(err)), WNN_ERR_INVALID);
	cr_assert(strstr(err, "baud rate 12345"), "%s", err);
	cr_assert_eq(wnn_ctx_open(&c, "uart:/dev/null,bogus=1", err, sizeof(err)), WNN_ERR_INVALID);
	cr_assert_eq(wnn_ctx_open(&c, "uart:/nonexistent/tty", err, sizeof(err)), WNN_ERR_IO);
	cr_assert_eq(wnn_ctx_open(&c, "uart:/dev/null", err, sizeof(err)), WNN_ERR_IO,
		     "not a terminal: %s", err);
	cr_assert_eq(wnn_ctx_open(&c, "mmio:", err, sizeof(err)), WNN_ERR_INVALID);
	cr_assert_eq(wnn_ctx_open(&c, "mmio:/dev/null@7", err, sizeof(err)), WNN_ERR_INVALID);
}

Test(proto, uart_stats_refuse_another_backend)
{
	wnn_ctx *c;
	wnn_uart_stats st;
	char err[128];

	cr_assert_eq(wnn_ctx_open(&c, "golden", err, sizeof(err)), 0);
	cr_assert_eq(wnn_uart_get_stats(c, &st), WNN_ERR_UNSUPPORTED);
	wnn_ctx_close(c);
}

Test(proto, a_repeated_or_lost_data_byte_is_reported_corrupt)
{
	static wnn_proto_parser p;
	wnn_proto_response r;
	uint8_t bad[sizeof(read_response) + 1];
	int corrupt;

	for (unsigned k = 4; k < 8; k++) { /* each data byte repeated: the frame shifts by one */
		memcpy(bad, read_response, k + 1);
		memcpy(bad + k + 1, read_response + k, sizeof(read_response) - k);
		wnn_proto_parser_init(&p);
		corrupt = 0;
		cr_assert_eq(feed(&p, bad, sizeof(bad), &r, &corrupt), 0, "byte %u repeated", k);
		cr_assert_eq(corrupt, 1, "byte %u repeated", k);
	}
	for (unsigned k = 4; k < 8; k++) { /* each data byte lost, then the next frame */
		memcpy(bad, read_response, k);
		memcpy(bad + k, read_response + k + 1, sizeof(read_response) - k - 1);
		wnn_proto_parser_init(&p);
		corrupt = 0;
		feed(&p, bad, sizeof(read_response) - 1, &r, &corrupt);
		cr_assert_eq(feed(&p, write_response, sizeof(write_response), &r, &corrupt), 1,
			     "byte %u lost", k);
		cr_assert_eq(r.seq, 0x13);
	}
}
