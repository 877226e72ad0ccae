// SPDX-License-Identifier: MIT
// wnn_uart_tx.v - 8N1 UART transmitter with a valid/ready byte input.
//
// One bit lasts DIV = round(CLK_HZ / BAUD) clocks. A byte is taken when valid_i and ready_o are
// both high at a clock edge; the line then carries the start bit, eight data bits LSB first and
// the stop bit, DIV clocks each, from a register (no glitches). ready_o is high while idle and on
// the last clock of the stop bit, so back-to-back bytes leave no gap.
`default_nettype none

module wnn_uart_tx #(
    parameter integer CLK_HZ = 12000000,  // clock frequency, Hz
    parameter integer BAUD = 115200  // bits per second
) (
    input wire clk_i,
    input wire rst_i,

    input  wire [7:0] data_i,
    input  wire       valid_i,
    output wire       ready_o,
    output wire       tx_o     // the line, idle high
);
  localparam integer DIV = (CLK_HZ + BAUD / 2) / BAUD;
  localparam integer CW = $clog2(DIV + 1);
  localparam [31:0] FULL_32 = DIV - 1;
  localparam [CW-1:0] FULL = FULL_32[CW-1:0];

  reg busy_q, busy_d, tx_q, tx_d;
  reg [CW-1:0] cnt_q, cnt_d;
  reg [3:0] left_q, left_d;  // bits still to put on the line after the current one
  reg [7:0] shift_q, shift_d;

  // The stop bit has lasted its whole bit: the next byte may start on this clock edge.
  wire idle = !busy_q || (cnt_q == {CW{1'b0}} && left_q == 4'd0);

  always @* begin
    busy_d  = busy_q;
    tx_d    = tx_q;
    cnt_d   = cnt_q;
    left_d  = left_q;
    shift_d = shift_q;
    if (idle) begin
      busy_d = 1'b0;
      tx_d   = 1'b1;
      if (valid_i) begin
        busy_d  = 1'b1;
        tx_d    = 1'b0;  // start bit
        cnt_d   = FULL;
        left_d  = 4'd9;  // eight data bits and the stop bit
        shift_d = data_i;
      end
    end else if (cnt_q != {CW{1'b0}}) begin
      cnt_d = cnt_q - {{(CW - 1) {1'b0}}, 1'b1};
    end else begin
      tx_d    = shift_q[0];  // a data bit, then the stop bit shifted in as 1
      shift_d = {1'b1, shift_q[7:1]};
      left_d  = left_q - 4'd1;
      cnt_d   = FULL;
    end
  end

  always @(posedge clk_i) begin
    if (rst_i) begin
      busy_q <= 1'b0;
      tx_q   <= 1'b1;
      cnt_q  <= {CW{1'b0}};
      left_q <= 4'd0;
    end else begin
      busy_q <= busy_d;
      tx_q   <= tx_d;
      cnt_q  <= cnt_d;
      left_q <= left_d;
    end
  end

  always @(posedge clk_i) shift_q <= shift_d;

  assign ready_o = idle;
  assign tx_o = tx_q;
endmodule

`default_nettype wire
