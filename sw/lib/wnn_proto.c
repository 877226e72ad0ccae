/* SPDX-License-Identifier: MIT */
/* wnn_proto.c - the UART link protocol (docs/protocol.md): frames, CRC, response parser. */
#include <string.h>

#include "wnn_proto.h"

uint16_t wnn_proto_crc16(uint16_t crc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint16_t)(p[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = (uint16_t)(crc & 0x8000u ? (unsigned)(crc << 1) ^ 0x1021u
						       : (unsigned)(crc << 1));
	}
	return crc;
}

size_t wnn_proto_request_size(uint8_t cmd, uint8_t len)
{
	return WNN_PROTO_REQUEST_HEADER + (cmd & WNN_PROTO_CMD_WRITE ? 4u * len : 0u) +
	       WNN_PROTO_TRAILER_BYTES;
}

size_t wnn_proto_response_size(uint8_t status, uint8_t count)
{
	return WNN_PROTO_RESPONSE_HEADER + (status & WNN_PROTO_STATUS_READ ? 4u * count : 0u) +
	       WNN_PROTO_TRAILER_BYTES;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Appends the CRC of out[0..n) and the end byte; returns the frame size. */
static size_t seal(uint8_t *out, size_t n)
{
	uint16_t crc = wnn_proto_crc16(WNN_PROTO_CRC_INIT, out, n);

	out[n] = (uint8_t)(crc >> 8);
	out[n + 1] = (uint8_t)crc;
	out[n + 2] = WNN_PROTO_END;
	return n + WNN_PROTO_TRAILER_BYTES;
}

size_t wnn_proto_encode_request(uint8_t *out, size_t cap, const wnn_proto_request *rq)
{
	size_t n = WNN_PROTO_REQUEST_HEADER;

	if (cap < wnn_proto_request_size(rq->cmd, rq->len))
		return 0;
	out[0] = WNN_PROTO_SOF_REQUEST;
	out[1] = rq->seq;
	out[2] = rq->cmd;
	out[3] = rq->len;
	out[4] = (uint8_t)rq->addr;
	out[5] = (uint8_t)(rq->addr >> 8);
	if (rq->cmd & WNN_PROTO_CMD_WRITE)
		for (unsigned i = 0; i < rq->len; i++, n += 4)
			put32(out + n, rq->data[i]);
	return seal(out, n);
}

size_t wnn_proto_encode_response(uint8_t *out, size_t cap, const wnn_proto_response *rs)
{
	size_t n = WNN_PROTO_RESPONSE_HEADER;

	if (cap < wnn_proto_response_size(rs->status, rs->count))
		return 0;
	out[0] = WNN_PROTO_SOF_RESPONSE;
	out[1] = rs->seq;
	out[2] = rs->status;
	out[3] = rs->count;
	if (rs->status & WNN_PROTO_STATUS_READ)
		for (unsigned i = 0; i < rs->count; i++, n += 4)
			put32(out + n, rs->data[i]);
	return seal(out, n);
}

void wnn_proto_parser_init(wnn_proto_parser *p)
{
	memset(p, 0, sizeof(*p));
}

void wnn_proto_parser_reset(wnn_proto_parser *p)
{
	p->skipped += p->n;
	p->n = 0;
	p->n_sof = 0;
}

/* Drops the first j bytes (buf[j] is a start byte, or j == n). */
static void drop(wnn_proto_parser *p, size_t j)
{
	size_t k = 0;

	p->skipped += j;
	memmove(p->buf, p->buf + j, p->n - j);
	p->n -= j;
	while (k < p->n_sof && p->sof[k] < j)
		k++;
	for (size_t i = k; i < p->n_sof; i++)
		p->sof[i - k] = (uint16_t)(p->sof[i] - j);
	p->n_sof -= k;
}

/* Drops the first candidate: the bytes up to the next start byte. */
static void drop_head(wnn_proto_parser *p)
{
	drop(p, p->n_sof > 1 ? p->sof[1] : p->n);
}

void wnn_proto_parser_push(wnn_proto_parser *p, uint8_t byte)
{
	if (p->n == sizeof(p->buf)) /* pop was not called: make room */
		drop_head(p);
	if (byte == WNN_PROTO_SOF_RESPONSE)
		p->sof[p->n_sof++] = (uint16_t)p->n;
	else if (!p->n) {
		p->skipped++;
		return;
	}
	p->buf[p->n++] = byte;
}

/* Bytes of the candidate at buf[k], or 0 while its header is incomplete. */
static size_t candidate_size(const wnn_proto_parser *p, size_t k)
{
	return p->n - k >= WNN_PROTO_RESPONSE_HEADER
		   ? wnn_proto_response_size(p->buf[k + 2], p->buf[k + 3])
		   : 0;
}

static int candidate_ok(const uint8_t *f, size_t size)
{
	return f[size - 1] == WNN_PROTO_END &&
	       wnn_proto_crc16(WNN_PROTO_CRC_INIT, f, size - 1) == 0 && !(f[2] & 0x70u);
}

static void decode(const uint8_t *f, wnn_proto_response *out)
{
	out->seq = f[1];
	out->status = f[2];
	out->count = f[3];
	if (f[2] & WNN_PROTO_STATUS_READ)
		for (unsigned i = 0; i < f[3]; i++)
			out->data[i] = get32(f + WNN_PROTO_RESPONSE_HEADER + 4u * i);
}

int wnn_proto_parser_pop(wnn_proto_parser *p, wnn_proto_response *out)
{
	size_t head;

	/* A head that ended before the last byte: either it failed when it was checked as a later
	 * candidate, or pop was not called after every push. Check it again; drop it if bad. */
	while (p->n && (head = candidate_size(p, 0)) && head < p->n) {
		if (candidate_ok(p->buf, head)) {
			decode(p->buf, out);
			p->frames++;
			p->skipped -=
			    head; /* drop() counts them as skipped, but they were a frame */
			drop(p, head);
			if (p->n && p->buf[0] != WNN_PROTO_SOF_RESPONSE)
				drop(p, p->n_sof ? p->sof[0] : p->n);
			return WNN_PROTO_FRAME;
		}
		drop_head(p);
	}
	for (size_t i = 0; i < p->n_sof; i++) {
		size_t k = p->sof[i], size = candidate_size(p, k);
		if (!size || k + size != p->n)
			continue;
		if (candidate_ok(p->buf + k, size)) {
			decode(p->buf + k, out);
			p->skipped += k;
			p->n = 0;
			p->n_sof = 0;
			p->frames++;
			return WNN_PROTO_FRAME;
		}
		if (k == 0) {
			p->corrupt++;
			drop_head(p);
			return WNN_PROTO_CORRUPT;
		}
	}
	return WNN_PROTO_NONE;
}

const char *wnn_proto_status_name(uint8_t status)
{
	switch (status & WNN_PROTO_STATUS_CODE_MASK) {
	case WNN_PROTO_OK:
		return "OK";
	case WNN_PROTO_CRC_ERROR:
		return "CRC_ERROR";
	case WNN_PROTO_BUS_ERROR:
		return "BUS_ERROR";
	case WNN_PROTO_BAD_LENGTH:
		return "BAD_LENGTH";
	case WNN_PROTO_BAD_COMMAND:
		return "BAD_COMMAND";
	case WNN_PROTO_TIMEOUT:
		return "TIMEOUT";
	default:
		return "unknown";
	}
}
