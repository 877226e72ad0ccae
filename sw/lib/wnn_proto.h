/* SPDX-License-Identifier: MIT */
/* wnn_proto.h - internal: the UART link protocol (docs/protocol.md): frame encoding, CRC, and a
 * streaming response parser that resynchronises after noise. Shared by the uart backend, the
 * tests and the fuzzer; no I/O, no globals, no allocation.
 *
 * Request  (host -> device): A5 SEQ CMD LEN ADDR_LO ADDR_HI [LEN x 4 data bytes if CMD.WRITE]
 * CRC_HI CRC_LO Response (device -> host): 5A SEQ STATUS COUNT [COUNT x 4 data bytes if
 * STATUS.READ] CRC_HI CRC_LO Data words are little-endian; the CRC is CRC-16/CCITT-FALSE over every
 * byte before it. */
#ifndef WNN_PROTO_H
#define WNN_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define WNN_PROTO_SOF_REQUEST  0xA5u
#define WNN_PROTO_SOF_RESPONSE 0x5Au
/* Every frame ends with this byte after its CRC: a frame shifted by a lost or repeated byte then
 * passes only if its CRC and this byte both match by chance (2^-24 rather than the CRC's 2^-16). */
#define WNN_PROTO_END 0x7Eu

/* CMD bits; the others are reserved and must be 0. */
#define WNN_PROTO_CMD_WRITE 0x01u /* write LEN words (else read) */
#define WNN_PROTO_CMD_FIXED 0x02u /* every word at ADDR (else ADDR, ADDR + 4, ...) */
#define WNN_PROTO_CMD_NEW   0x04u /* execute even if SEQ and CRC equal the last executed frame */

/* STATUS: bits 3:0 a code, bit 7 READ (COUNT data words follow), bits 6:4 zero. */
#define WNN_PROTO_STATUS_READ	   0x80u
#define WNN_PROTO_STATUS_CODE_MASK 0x0Fu
enum wnn_proto_status {
	WNN_PROTO_OK = 0,	   /* executed; COUNT = LEN */
	WNN_PROTO_CRC_ERROR = 1,   /* the request failed its CRC; not executed (SEQ as received) */
	WNN_PROTO_BUS_ERROR = 2,   /* an access ended with an error; COUNT = words done before it */
	WNN_PROTO_BAD_LENGTH = 3,  /* LEN = 0 or above the device's longest burst; not executed */
	WNN_PROTO_BAD_COMMAND = 4, /* a reserved CMD bit or a misaligned ADDR; not executed */
	WNN_PROTO_TIMEOUT =
	    5, /* the request stopped before its end; not executed (SEQ as received) */
};

#define WNN_PROTO_MAX_LEN	   255u /* LEN and COUNT are bytes */
#define WNN_PROTO_DEVICE_MAX_WORDS 64u	/* longest burst of rtl/wnn_uart_bridge.v (MAX_WORDS) */
#define WNN_PROTO_REQUEST_HEADER   6u
#define WNN_PROTO_RESPONSE_HEADER  4u
#define WNN_PROTO_CRC_BYTES	   2u
#define WNN_PROTO_TRAILER_BYTES	   3u /* CRC_HI CRC_LO END */
#define WNN_PROTO_MAX_REQUEST                                                                      \
	(WNN_PROTO_REQUEST_HEADER + 4u * WNN_PROTO_MAX_LEN + WNN_PROTO_TRAILER_BYTES)
#define WNN_PROTO_MAX_RESPONSE                                                                     \
	(WNN_PROTO_RESPONSE_HEADER + 4u * WNN_PROTO_MAX_LEN + WNN_PROTO_TRAILER_BYTES)

#define WNN_PROTO_CRC_INIT 0xFFFFu

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, not reflected, no final xor) of n bytes,
 * continuing from crc: wnn_proto_crc16(WNN_PROTO_CRC_INIT, "123456789", 9) == 0x29B1. */
uint16_t wnn_proto_crc16(uint16_t crc, const uint8_t *p, size_t n);

typedef struct wnn_proto_request {
	uint8_t seq, cmd,
	    len;       /* len: words, 1..WNN_PROTO_MAX_LEN (0 encodes a frame to test refusal) */
	uint16_t addr; /* byte address */
	uint32_t data[WNN_PROTO_MAX_LEN]; /* write data, len words */
} wnn_proto_request;

typedef struct wnn_proto_response {
	uint8_t seq, status, count;	  /* status: the whole byte, READ flag included */
	uint32_t data[WNN_PROTO_MAX_LEN]; /* count words when status has WNN_PROTO_STATUS_READ */
} wnn_proto_response;

/* Bytes of the encoded frame. */
size_t wnn_proto_request_size(uint8_t cmd, uint8_t len);
size_t wnn_proto_response_size(uint8_t status, uint8_t count);

/* Encode into out (cap bytes); return the frame's size, or 0 if it does not fit. */
size_t wnn_proto_encode_request(uint8_t *out, size_t cap, const wnn_proto_request *rq);
size_t wnn_proto_encode_response(uint8_t *out, size_t cap, const wnn_proto_response *rs);

/* The streaming response parser. Push every received byte, then pop until it returns
 * WNN_PROTO_NONE. It skips bytes until a start byte; a candidate frame is checked when its last
 * byte arrives. A later candidate that completes with a good CRC while an earlier one still waits
 * for bytes wins (the earlier start byte was noise), so one lost or spurious byte costs no more
 * than the frame it hit. Memory is bounded: a candidate is at most WNN_PROTO_MAX_RESPONSE bytes. */
enum wnn_proto_event {
	WNN_PROTO_NONE = 0,    /* nothing complete yet */
	WNN_PROTO_FRAME = 1,   /* *out holds a frame with a good CRC */
	WNN_PROTO_CORRUPT = 2, /* a complete candidate failed its CRC or format and was dropped */
};

typedef struct wnn_proto_parser {
	uint8_t buf[WNN_PROTO_MAX_RESPONSE];
	size_t n;			      /* bytes held; buf[0] is a start byte when n > 0 */
	uint16_t sof[WNN_PROTO_MAX_RESPONSE]; /* positions of the start bytes in buf, ascending */
	size_t n_sof;
	uint64_t frames;  /* good frames returned */
	uint64_t corrupt; /* candidates dropped for CRC or format */
	uint64_t skipped; /* bytes discarded outside frames */
} wnn_proto_parser;

void wnn_proto_parser_init(wnn_proto_parser *p);
/* Forgets the bytes held (keeps the counters). */
void wnn_proto_parser_reset(wnn_proto_parser *p);
void wnn_proto_parser_push(wnn_proto_parser *p, uint8_t byte);
int wnn_proto_parser_pop(wnn_proto_parser *p, wnn_proto_response *out);

/* A name for a status code (the READ flag ignored); "unknown" for others. */
const char *wnn_proto_status_name(uint8_t status);

#endif
