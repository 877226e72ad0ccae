// SPDX-License-Identifier: MIT
// wnn_board_leds - status LEDs for the board tops: heartbeat, and busy / link / error / irq stretched so that a one-clock event is seen.
`default_nettype none

// led_o bits (active high; a board with active-low LEDs inverts them):
//   0 heartbeat  toggles every 2^HEART_LOG2 clocks: the clock runs and the design is out of reset
//   1 busy       busy_i, stretched
//   2 link       link_i (host traffic on the UART), stretched
//   3 error      error_i, stretched
//   4 irq        irq_i, stretched
// A stretched LED lights while its input is high and for 2 to 3 periods of 2^STRETCH_LOG2 clocks
// after, so a busy of a few clocks or one byte on the link is visible and a steady input is a
// steady light. The heartbeat counter also times the stretch: two flip-flops per LED. All LEDs
// are off during reset.
module wnn_board_leds #(
  parameter integer HEART_LOG2   = 23, // 0.7 s half period at 12 MHz
  parameter integer STRETCH_LOG2 = 19  // 2..3 x 44 ms at 12 MHz; < HEART_LOG2
) (
  input  wire       clk_i,
  input  wire       rst_i,
  input  wire       busy_i,
  input  wire       link_i,
  input  wire       error_i,
  input  wire       irq_i,
  output wire [4:0] led_o
);

  localparam integer N = 4; // stretched inputs

  reg  [HEART_LOG2:0] heart_q;
  reg  [2*N-1:0]      hold_q, hold_d; // stretch periods left, per input
  reg  [N-1:0]        lit_q, lit_d;
  wire [N-1:0]        in   = {irq_i, error_i, link_i, busy_i};
  wire                tick = &heart_q[STRETCH_LOG2-1:0];
  integer i;

  always @* begin
    hold_d = hold_q;
    for (i = 0; i < N; i = i + 1) begin
      if (in[i]) begin
        hold_d[2*i +: 2] = 2'd3;
      end else if (tick && hold_q[2*i +: 2] != 2'd0) begin
        hold_d[2*i +: 2] = hold_q[2*i +: 2] - 2'd1;
      end
      lit_d[i] = in[i] || (hold_q[2*i +: 2] != 2'd0);
    end
  end

  always @(posedge clk_i) begin
    if (rst_i) begin
      heart_q <= {(HEART_LOG2+1){1'b0}};
      hold_q  <= {(2*N){1'b0}};
      lit_q   <= {N{1'b0}};
    end else begin
      heart_q <= heart_q + {{HEART_LOG2{1'b0}}, 1'b1};
      hold_q  <= hold_d;
      lit_q   <= lit_d;
    end
  end

  assign led_o = {lit_q, heart_q[HEART_LOG2]};

endmodule

`default_nettype wire
