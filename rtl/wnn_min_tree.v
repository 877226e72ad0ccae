// SPDX-License-Identifier: MIT
// wnn_min_tree - combinational minimum of N unsigned keys as a balanced comparator tree.
`default_nettype none

module wnn_min_tree #(
  parameter integer N  = 2, // keys, >= 1
  parameter integer KW = 8  // bits per key
) (
  input  wire [N*KW-1:0] keys_i, // key k at [k*KW +: KW]
  output wire [KW-1:0]   min_o
);

  generate
    if (N == 1) begin : g_leaf
      assign min_o = keys_i;
    end else begin : g_split
      wire [KW-1:0] lo_min;
      wire [KW-1:0] hi_min;
      wnn_min_tree #(.N(N / 2),     .KW(KW)) u_lo (.keys_i(keys_i[(N/2)*KW-1:0]),  .min_o(lo_min));
      wnn_min_tree #(.N(N - N / 2), .KW(KW)) u_hi (.keys_i(keys_i[N*KW-1:(N/2)*KW]), .min_o(hi_min));
      assign min_o = (hi_min < lo_min) ? hi_min : lo_min;
    end
  endgenerate

endmodule

`default_nettype wire
