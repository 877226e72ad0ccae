// SPDX-License-Identifier: MIT
// wnn_ram - simple dual-port RAM (one write port, one read port with registered read data) that infers block RAM.
`default_nettype none

// Read-during-write of the same address returns unspecified data; wnn_core never does it.
module wnn_ram #(
  parameter integer WIDTH = 36,   // bits per word
  parameter integer WORDS = 1024, // words
  parameter integer AW    = 10    // address bits, >= $clog2(WORDS)
) (
  input  wire             clk_i,
  input  wire             we_i,
  input  wire [AW-1:0]    waddr_i,
  input  wire [WIDTH-1:0] wdata_i,
  input  wire [AW-1:0]    raddr_i,
  output wire [WIDTH-1:0] rdata_o  // mem[raddr_i] of the previous cycle
);

  // no_rw_check: a collision may return anything, so Yosys adds no bypass logic for it.
  (* no_rw_check *)
  reg [WIDTH-1:0] mem_q [0:WORDS-1];
  reg [WIDTH-1:0] rdata_q;

  always @(posedge clk_i) begin
    if (we_i) begin
      mem_q[waddr_i] <= wdata_i;
    end
    rdata_q <= mem_q[raddr_i];
  end

  assign rdata_o = rdata_q;

endmodule

`default_nettype wire
