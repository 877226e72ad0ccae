// SPDX-License-Identifier: MIT
// wnn_board_reset - power-on reset and reset synchroniser for the board tops: a synchronous, active-high reset from an asynchronous request.
`default_nettype none

// rst_o is high from configuration until the clock has run 2^HOLD_LOG2 clocks with arst_i low,
// and again for 2^HOLD_LOG2 clocks after every time arst_i goes high (a reset button, a PLL that
// loses lock). arst_i may change at any time: it passes a two-flop synchroniser, and the hold
// counter restarts on every bounce, so a push button needs no separate debouncer (hold > bounce).
//
// The power-on reset comes from the configuration values of these flip-flops (the declaration
// values below, which yosys turns into init attributes: iCE40 and ECP5 configure flip-flops to
// 0, and yosys inverts the one that starts at 1). They are the design's only initial values:
// STYLE.md allows memory init only, but without a reset pin there is no other way to a
// power-on reset.
module wnn_board_reset #(
  parameter integer HOLD_LOG2 = 16  // reset lasts 2^HOLD_LOG2 clocks (5.5 ms at 12 MHz)
) (
  input  wire clk_i,
  input  wire arst_i,  // asynchronous reset request, active high
  output wire rst_o    // synchronous to clk_i, active high
);

  reg [1:0]           sync_q = 2'b00;
  reg [HOLD_LOG2-1:0] hold_q = {HOLD_LOG2{1'b0}};
  reg                 rst_q  = 1'b1;

  wire done = &hold_q;

  always @(posedge clk_i) begin
    sync_q <= {sync_q[0], arst_i};
    if (sync_q[1]) begin
      hold_q <= {HOLD_LOG2{1'b0}};
    end else if (!done) begin
      hold_q <= hold_q + {{(HOLD_LOG2-1){1'b0}}, 1'b1};
    end
    rst_q <= !done;
  end

  assign rst_o = rst_q;

endmodule

`default_nettype wire
