// SPDX-License-Identifier: MIT
// wnn_popcount - combinational population count as a balanced adder tree (recursive halving).
`default_nettype none

module wnn_popcount #(
  parameter integer W  = 8,               // input bits, >= 1
  parameter integer OW = $clog2(W + 1)    // output bits, >= $clog2(W + 1)
) (
  input  wire [W-1:0]  bits_i,
  output wire [OW-1:0] count_o
);

  generate
    if (W == 1) begin : g_leaf
      if (OW == 1) begin : g_w1
        assign count_o = bits_i;
      end else begin : g_wide
        assign count_o = {{(OW-1){1'b0}}, bits_i};
      end
    end else begin : g_split
      wire [OW-1:0] lo_cnt;
      wire [OW-1:0] hi_cnt;
      wnn_popcount #(.W(W / 2),     .OW(OW)) u_lo (.bits_i(bits_i[W/2-1:0]), .count_o(lo_cnt));
      wnn_popcount #(.W(W - W / 2), .OW(OW)) u_hi (.bits_i(bits_i[W-1:W/2]), .count_o(hi_cnt));
      assign count_o = lo_cnt + hi_cnt;
    end
  endgenerate

endmodule

`default_nettype wire
