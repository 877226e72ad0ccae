// SPDX-License-Identifier: MIT
// wnn_uart_rx.v - 8N1 UART receiver: two-flop synchroniser, mid-bit sampling, framing-error flag.
//
// One bit lasts DIV = round(CLK_HZ / BAUD) clocks (DIV >= 4). A falling edge on the idle line
// starts a frame; half a bit later the start bit must still read 0 (a shorter glitch is ignored);
// the eight data bits, LSB first, and the stop bit are sampled at their middles. At the stop bit's
// middle valid_o pulses for one clock with data_o and frame_err_o (stop bit read 0: a break, a
// baud mismatch or noise); the byte is delivered either way and the receiver is idle again at
// once, so a start bit that follows the stop bit directly is caught. busy_o: a frame is under way.
`default_nettype none

module wnn_uart_rx #(
    parameter integer CLK_HZ = 12000000,  // clock frequency, Hz
    parameter integer BAUD = 115200  // bits per second
) (
    input wire clk_i,
    input wire rst_i,

    input  wire       rx_i,         // the line, asynchronous, idle high
    output wire [7:0] data_o,       // the byte, valid with valid_o
    output wire       valid_o,      // one clock per received byte
    output wire       frame_err_o,  // with valid_o: the stop bit was 0
    output wire       busy_o        // a start bit was seen and the frame is not over
);
  localparam integer DIV = (CLK_HZ + BAUD / 2) / BAUD;
  localparam integer CW = $clog2(DIV + 1);
  localparam [31:0] FULL_32 = DIV - 1;
  localparam [CW-1:0] FULL = FULL_32[CW-1:0];  // clocks from one sample to the next, minus one
  localparam [31:0] HALF_32 = DIV / 2 - 1;
  localparam [CW-1:0] HALF = HALF_32[CW-1:0];  // from the start edge to the start bit's middle

  localparam [1:0] S_IDLE = 2'd0, S_START = 2'd1, S_DATA = 2'd2, S_STOP = 2'd3;

  reg [1:0] sync_q;  // sync_q[1] is the synchronised line
  reg [1:0] state_q, state_d;
  reg [CW-1:0] cnt_q, cnt_d;
  reg [2:0] bit_q, bit_d;
  reg [7:0] shift_q, shift_d, data_q, data_d;
  reg valid_q, valid_d, ferr_q, ferr_d;

  wire line = sync_q[1];
  wire tick = (cnt_q == {CW{1'b0}});

  always @* begin
    state_d = state_q;
    cnt_d   = tick ? cnt_q : cnt_q - {{(CW - 1) {1'b0}}, 1'b1};
    bit_d   = bit_q;
    shift_d = shift_q;
    data_d  = data_q;
    valid_d = 1'b0;
    ferr_d  = ferr_q;
    case (state_q)
      S_IDLE:
      if (!line) begin
        state_d = S_START;
        cnt_d   = HALF;
      end
      S_START:
      if (tick) begin
        if (line) begin
          state_d = S_IDLE;  // a glitch, not a start bit
        end else begin
          state_d = S_DATA;
          cnt_d   = FULL;
          bit_d   = 3'd0;
        end
      end
      S_DATA:
      if (tick) begin
        shift_d = {line, shift_q[7:1]};
        cnt_d   = FULL;
        bit_d   = bit_q + 3'd1;
        if (bit_q == 3'd7) state_d = S_STOP;
      end
      S_STOP:
      if (tick) begin
        state_d = S_IDLE;
        data_d  = shift_q;
        valid_d = 1'b1;
        ferr_d  = !line;
      end
      default: state_d = S_IDLE;
    endcase
  end

  always @(posedge clk_i) begin
    if (rst_i) begin
      sync_q  <= 2'b11;
      state_q <= S_IDLE;
      cnt_q   <= {CW{1'b0}};
      bit_q   <= 3'd0;
      valid_q <= 1'b0;
      ferr_q  <= 1'b0;
    end else begin
      sync_q  <= {sync_q[0], rx_i};
      state_q <= state_d;
      cnt_q   <= cnt_d;
      bit_q   <= bit_d;
      valid_q <= valid_d;
      ferr_q  <= ferr_d;
    end
  end

  always @(posedge clk_i) begin
    shift_q <= shift_d;
    data_q  <= data_d;
  end

  assign data_o = data_q;
  assign valid_o = valid_q;
  assign frame_err_o = ferr_q;
  assign busy_o = (state_q != S_IDLE);
endmodule

`default_nettype wire
