/* SPDX-License-Identifier: MIT */
/* fuzz_proto.c - libFuzzer target: the streaming response parser of sw/lib/wnn_proto.c.
 *
 * The input is a byte stream as a noisy link would deliver it. The parser must not crash, read or
 * write out of bounds, or hold more than one frame's bytes; every frame it returns must re-encode
 * to a frame with a good CRC and end byte, of the size its header announces; and after the stream, a run of
 * filler bytes and one good frame, the good frame must come out: noise never wedges the parser.
 * The first bytes also drive the encoders (request and response) and their size functions.
 * Built by `make fuzz-link` (clang -fsanitize=fuzzer) and, with tests/fuzz/replay.c, into a plain
 * program that replays tests/fuzz/corpus under ASan/UBSan in `make test-link`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wnn_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t frame[WNN_PROTO_MAX_REQUEST > WNN_PROTO_MAX_RESPONSE ? WNN_PROTO_MAX_REQUEST
								    : WNN_PROTO_MAX_RESPONSE];

static void check_frame(const wnn_proto_response *r)
{
	size_t n = wnn_proto_encode_response(frame, sizeof(frame), r);

	if (!n || n != wnn_proto_response_size(r->status, r->count) ||
	    wnn_proto_crc16(WNN_PROTO_CRC_INIT, frame, n - 1) != 0 || frame[n - 1] != WNN_PROTO_END ||
	    (r->status & 0x70u))
		abort();
}

static int feed(wnn_proto_parser *p, const uint8_t *d, size_t n, wnn_proto_response *last)
{
	int frames = 0;

	for (size_t i = 0; i < n; i++) {
		int ev;
		wnn_proto_parser_push(p, d[i]);
		while ((ev = wnn_proto_parser_pop(p, last)) != WNN_PROTO_NONE) {
			if (ev == WNN_PROTO_FRAME) {
				check_frame(last);
				frames++;
			} else if (ev != WNN_PROTO_CORRUPT) {
				abort();
			}
		}
		if (p->n > sizeof(p->buf) || (p->n && p->buf[0] != WNN_PROTO_SOF_RESPONSE))
			abort();
	}
	return frames;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static wnn_proto_parser p;
	static wnn_proto_response r, good, last;
	static wnn_proto_request rq;
	static const uint8_t filler[WNN_PROTO_MAX_RESPONSE] = {0};
	size_t n;

	/* the encoders, driven by the first bytes */
	if (size >= 6) {
		memset(&rq, 0, sizeof(rq));
		rq.seq = data[0];
		rq.cmd = data[1];
		rq.len = data[2];
		rq.addr = (uint16_t)(data[3] | data[4] << 8);
		for (unsigned i = 0; i < rq.len; i++)
			rq.data[i] = (uint32_t)i * 0x01010101u ^ data[5];
		n = wnn_proto_encode_request(frame, sizeof(frame), &rq);
		if (n != wnn_proto_request_size(rq.cmd, rq.len) ||
		    wnn_proto_crc16(WNN_PROTO_CRC_INIT, frame, n - 1) != 0 ||
		    frame[0] != WNN_PROTO_SOF_REQUEST || frame[n - 1] != WNN_PROTO_END)
			abort();
	}

	/* the stream */
	wnn_proto_parser_init(&p);
	feed(&p, data, size, &last);
	if (p.frames + p.corrupt > size)
		abort();

	/* then filler, which resolves every pending candidate, and a good frame */
	feed(&p, filler, sizeof(filler), &last);
	memset(&good, 0, sizeof(good));
	good.seq = size ? data[size - 1] : 7;
	good.status = WNN_PROTO_OK | WNN_PROTO_STATUS_READ;
	good.count = size > 1 ? (uint8_t)(data[size - 2] % 16u) : 1;
	for (unsigned i = 0; i < good.count; i++)
		good.data[i] = 0xA5A55A5Au + i;
	n = wnn_proto_encode_response(frame, sizeof(frame), &good);
	memset(&r, 0, sizeof(r));
	if (feed(&p, frame, n, &r) != 1 || r.seq != good.seq || r.status != good.status ||
	    r.count != good.count || memcmp(r.data, good.data, good.count * sizeof(good.data[0])))
		abort();
	return 0;
}
