// SPDX-License-Identifier: MIT
// wnn_top.v - the wnn accelerator behind a Wishbone B4 pipelined slave: wnn_wb_regs + wnn_core.
//
// The register map is docs/regmap.md (generated from rtl/wnn_regmap.json); wb_adr_i carries bits
// 11:2 of the byte address. Board tops instantiate this module and bridge their host link to it.
`default_nettype none

module wnn_top #(
    parameter integer IN_W = 26,  // widest input (1..64)
    parameter integer OUT_W = 10,  // widest output (1..64)
    parameter integer LANES = 1,  // stored entries compared per clock
    parameter integer UNITS = 8,  // groups searched in parallel
    parameter integer SLOTS = 4,  // agent slots
    parameter integer DEPTH = 256,  // entries per slot (a power of two)
    parameter integer GROUPS = 64,  // group table rows
    parameter integer READBACK = 1  // operand and GRP_* staging registers read back (0: read 0)
) (
    input wire clk_i,
    input wire rst_i,

    input  wire        wb_cyc_i,
    input  wire        wb_stb_i,
    input  wire        wb_we_i,
    input  wire [11:2] wb_adr_i,
    input  wire [31:0] wb_dat_i,
    input  wire [ 3:0] wb_sel_i,
    output wire        wb_stall_o,
    output wire        wb_ack_o,
    output wire        wb_err_o,
    output wire [31:0] wb_dat_o,
    output wire        irq_o
);
  localparam integer SW = (SLOTS > 1) ? $clog2(SLOTS) : 1;
  localparam integer GW = (GROUPS > 1) ? $clog2(GROUPS) : 1;

  wire [6:0] cfg_in_bits, cfg_out_bits;
  wire cfg_tie_zero, cfg_reset_random, cfg_evict;
  wire [7:0] cfg_settle, cfg_n_groups;
  wire [15:0] cfg_threshold;
  wire [31:0] cfg_capacity;
  wire grp_we, grp_layer;
  wire [GW-1:0] grp_addr;
  wire [63:0] grp_mask_a, grp_mask_b, grp_members;
  wire cmd_valid, cmd_ready;
  wire [3:0] cmd_op;
  wire [SW-1:0] cmd_slot;
  wire [31:0] cmd_rank;
  wire [63:0] cmd_x, cmd_y, cmd_q, cmd_z, cmd_prng;
  wire done, evicted;
  wire [3:0] status;
  wire [63:0] res_x, res_y, res_q, res_z, res_prng;
  wire [31:0] res_count, res_removed;

  wnn_wb_regs #(
      .IN_W  (IN_W),
      .OUT_W (OUT_W),
      .LANES (LANES),
      .UNITS (UNITS),
      .SLOTS (SLOTS),
      .DEPTH (DEPTH),
      .GROUPS(GROUPS),
      .READBACK(READBACK)
  ) u_regs (
      .clk_i             (clk_i),
      .rst_i             (rst_i),
      .wb_cyc_i          (wb_cyc_i),
      .wb_stb_i          (wb_stb_i),
      .wb_we_i           (wb_we_i),
      .wb_adr_i          (wb_adr_i),
      .wb_dat_i          (wb_dat_i),
      .wb_sel_i          (wb_sel_i),
      .wb_stall_o        (wb_stall_o),
      .wb_ack_o          (wb_ack_o),
      .wb_err_o          (wb_err_o),
      .wb_dat_o          (wb_dat_o),
      .irq_o             (irq_o),
      .cfg_in_bits_o     (cfg_in_bits),
      .cfg_out_bits_o    (cfg_out_bits),
      .cfg_tie_zero_o    (cfg_tie_zero),
      .cfg_reset_random_o(cfg_reset_random),
      .cfg_evict_o       (cfg_evict),
      .cfg_settle_o      (cfg_settle),
      .cfg_threshold_o   (cfg_threshold),
      .cfg_capacity_o    (cfg_capacity),
      .cfg_n_groups_o    (cfg_n_groups),
      .grp_we_o          (grp_we),
      .grp_addr_o        (grp_addr),
      .grp_layer_o       (grp_layer),
      .grp_mask_a_o      (grp_mask_a),
      .grp_mask_b_o      (grp_mask_b),
      .grp_members_o     (grp_members),
      .cmd_valid_o       (cmd_valid),
      .cmd_ready_i       (cmd_ready),
      .cmd_op_o          (cmd_op),
      .cmd_slot_o        (cmd_slot),
      .cmd_rank_o        (cmd_rank),
      .cmd_x_o           (cmd_x),
      .cmd_y_o           (cmd_y),
      .cmd_q_o           (cmd_q),
      .cmd_z_o           (cmd_z),
      .cmd_prng_o        (cmd_prng),
      .done_i            (done),
      .status_i          (status),
      .evicted_i         (evicted),
      .res_x_i           (res_x),
      .res_y_i           (res_y),
      .res_q_i           (res_q),
      .res_z_i           (res_z),
      .res_prng_i        (res_prng),
      .res_count_i       (res_count),
      .res_removed_i     (res_removed)
  );

  wnn_core #(
      .IN_W  (IN_W),
      .OUT_W (OUT_W),
      .LANES (LANES),
      .UNITS (UNITS),
      .SLOTS (SLOTS),
      .DEPTH (DEPTH),
      .GROUPS(GROUPS)
  ) u_core (
      .clk_i             (clk_i),
      .rst_i             (rst_i),
      .cfg_in_bits_i     (cfg_in_bits),
      .cfg_out_bits_i    (cfg_out_bits),
      .cfg_tie_zero_i    (cfg_tie_zero),
      .cfg_reset_random_i(cfg_reset_random),
      .cfg_evict_i       (cfg_evict),
      .cfg_settle_i      (cfg_settle),
      .cfg_threshold_i   (cfg_threshold),
      .cfg_capacity_i    (cfg_capacity),
      .cfg_n_groups_i    (cfg_n_groups),
      .grp_we_i          (grp_we),
      .grp_addr_i        (grp_addr),
      .grp_layer_i       (grp_layer),
      .grp_mask_a_i      (grp_mask_a),
      .grp_mask_b_i      (grp_mask_b),
      .grp_members_i     (grp_members),
      .cmd_valid_i       (cmd_valid),
      .cmd_ready_o       (cmd_ready),
      .cmd_op_i          (cmd_op),
      .cmd_slot_i        (cmd_slot),
      .cmd_rank_i        (cmd_rank),
      .cmd_x_i           (cmd_x),
      .cmd_y_i           (cmd_y),
      .cmd_q_i           (cmd_q),
      .cmd_z_i           (cmd_z),
      .cmd_prng_i        (cmd_prng),
      .done_o            (done),
      .status_o          (status),
      .evicted_o         (evicted),
      .res_x_o           (res_x),
      .res_y_o           (res_y),
      .res_q_o           (res_q),
      .res_z_o           (res_z),
      .res_prng_o        (res_prng),
      .res_count_o       (res_count),
      .res_removed_o     (res_removed)
  );
endmodule

`default_nettype wire
