// SPDX-License-Identifier: MIT
// wnn_wb_regs.v - Wishbone B4 pipelined register block: rtl/wnn_regmap.json in front of wnn_core.
//
// Bus: 32-bit data, wb_adr_i carries bits 11:2 of the byte address (registers are word aligned,
// docs/regmap.md gives the byte offsets). wb_stall_o is always 0: one access is accepted per clock
// (wb_cyc_i & wb_stb_i) and terminated on the next clock by wb_ack_o or, for an address the map
// does not define, by wb_err_o alone (read data 0, write ignored, STATUS.BUS_ERROR and
// BUS_ERR_ADDR set). The port's granularity is 32 bits: every write sets the whole register and
// wb_sel_i is not used (per-byte enables would cost a LUT per register bit on an iCE40).
//
// Operations: a write to CMD latches OP and raises cmd_valid_o until the core takes it; BUSY holds
// until the core's done_o, when its status is captured into STATUS. R_* read the core's result
// outputs, which wnn_core holds from done_o until it accepts the next command. SLOT >=
// SLOTS never reaches the core: the operation finishes at once with ST_BAD_SLOT. While BUSY, writes
// to CMD, the operand, CFG_* and GRP_* registers are ignored and set the sticky STATUS.IGNORED, so
// the core's command and configuration inputs are stable for the whole operation.
//
// CYCLES_LAST counts the clock edges after the one where the core accepts the operation
// (cmd_valid_o & cmd_ready_i) up to the one that raises its done_o: a core answering on the next
// clock takes 1. CYCLES_BUSY counts every clock with BUSY set; OPS_DONE counts finished operations.
// irq_o = IRQ_ENABLE.DONE & STATUS.DONE.
`default_nettype none

module wnn_wb_regs #(
    parameter integer IN_W = 26,  // widest input (1..64)
    parameter integer OUT_W = 10,  // widest output (1..64)
    parameter integer LANES = 1,  // reported in PARAMS only
    parameter integer UNITS = 8,  // reported in PARAMS only
    parameter integer SLOTS = 4,  // agent slots
    parameter integer DEPTH = 256,  // entries per slot (a power of two)
    parameter integer GROUPS = 64,  // group table rows
    parameter integer READBACK = 1  // 1: operand and GRP_* staging registers read back; 0: they read 0
) (
    input wire clk_i,
    input wire rst_i,

    input  wire        wb_cyc_i,
    input  wire        wb_stb_i,
    input  wire        wb_we_i,
    input  wire [11:2] wb_adr_i,
    input  wire [31:0] wb_dat_i,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [ 3:0] wb_sel_i,  // granularity 32: not used
    /* verilator lint_on UNUSEDSIGNAL */
    output wire        wb_stall_o,
    output wire        wb_ack_o,
    output wire        wb_err_o,
    output wire [31:0] wb_dat_o,
    output wire        irq_o,

    output wire [ 6:0] cfg_in_bits_o,
    output wire [ 6:0] cfg_out_bits_o,
    output wire        cfg_tie_zero_o,
    output wire        cfg_reset_random_o,
    output wire        cfg_evict_o,
    output wire [ 7:0] cfg_settle_o,
    output wire [15:0] cfg_threshold_o,
    output wire [31:0] cfg_capacity_o,
    output wire [ 7:0] cfg_n_groups_o,

    output wire          grp_we_o,
    output wire [((GROUPS > 1) ? $clog2(GROUPS) : 1)-1:0] grp_addr_o,
    output wire          grp_layer_o,
    output wire [  63:0] grp_mask_a_o,
    output wire [  63:0] grp_mask_b_o,
    output wire [  63:0] grp_members_o,

    output wire          cmd_valid_o,
    input  wire          cmd_ready_i,
    output wire [   3:0] cmd_op_o,
    output wire [((SLOTS > 1) ? $clog2(SLOTS) : 1)-1:0] cmd_slot_o,
    output wire [  31:0] cmd_rank_o,
    output wire [  63:0] cmd_x_o,
    output wire [  63:0] cmd_y_o,
    output wire [  63:0] cmd_q_o,
    output wire [  63:0] cmd_z_o,
    output wire [  63:0] cmd_prng_o,

    input wire        done_i,
    input wire [ 3:0] status_i,
    input wire        evicted_i,
    input wire [63:0] res_x_i,
    input wire [63:0] res_y_i,
    input wire [63:0] res_q_i,
    input wire [63:0] res_z_i,
    input wire [63:0] res_prng_i,
    input wire [31:0] res_count_i,
    input wire [31:0] res_removed_i
);
  `include "wnn_regmap.vh"

  localparam integer SW = (SLOTS > 1) ? $clog2(SLOTS) : 1;
  localparam integer GW = (GROUPS > 1) ? $clog2(GROUPS) : 1;
  localparam integer MW = (IN_W > OUT_W) ? IN_W : OUT_W;

  localparam [31:0] IN_W_32 = IN_W;
  localparam [31:0] OUT_W_32 = OUT_W;
  localparam [31:0] LANES_32 = LANES;
  localparam [31:0] UNITS_32 = UNITS;
  localparam [31:0] SLOTS_32 = SLOTS;
  localparam [31:0] DEPTH_LOG2_32 = $clog2(DEPTH);
  localparam [31:0] GROUPS_32 = GROUPS;
  localparam [31:0] PARAMS_VALUE = {UNITS_32[7:0], LANES_32[7:0], OUT_W_32[7:0], IN_W_32[7:0]};
  localparam [31:0] READBACK_32 = (READBACK != 0) ? 32'd1 : 32'd0;
  localparam [31:0] PARAMS2_VALUE = {READBACK_32[7:0], GROUPS_32[7:0], DEPTH_LOG2_32[7:0], SLOTS_32[7:0]};

  // The bus access of this clock (wb_stall_o is 0, so every strobe is accepted).
  wire        acc = wb_cyc_i & wb_stb_i;
  wire        wr = acc & wb_we_i;
  wire [11:0] addr = {wb_adr_i, 2'b00};
  wire [31:0] wdata = wb_dat_i;

  // Bus response
  reg ack_q, ack_d, err_q, err_d;
  reg [31:0] rdata_q, rdata_d;
  // Operation control
  reg busy_q, busy_d, cmd_valid_q, cmd_valid_d, running_q, running_d;
  reg done_q, done_d, evicted_q, evicted_d, bus_err_q, bus_err_d, ignored_q, ignored_d;
  reg [3:0] op_q, op_d, code_q, code_d;
  reg [31:0] cycles_run_q, cycles_run_d, cycles_last_q, cycles_last_d;
  reg [31:0] ops_done_q, ops_done_d, cycles_busy_q, cycles_busy_d;
  reg [11:0] bus_err_addr_q, bus_err_addr_d;
  reg irq_en_q, irq_en_d, grp_we_q, grp_we_d;
  // Configuration
  reg [6:0] in_bits_q, in_bits_d, out_bits_q, out_bits_d;
  reg tie_zero_q, tie_zero_d, reset_random_q, reset_random_d, evict_q, evict_d;
  reg [7:0] settle_q, settle_d, n_groups_q, n_groups_d;
  reg [15:0] threshold_q, threshold_d;
  reg [31:0] capacity_q, capacity_d;
  // Operands and group staging (data: not reset)
  reg [31:0] slot_q, slot_d, rank_q, rank_d, grp_addr_q, grp_addr_d;
  // Vectors are stored as wide as the core uses them (IN_W for x, q and mask A, OUT_W for y and z,
  // the wider of the two for mask B and members); the bits above read 0. The *_d values are
  // 64 bits wide so a write to the _HI half needs no width cases.
  reg [IN_W-1:0] x_q, q_q, mask_a_q;
  reg [OUT_W-1:0] y_q, z_q;
  reg [MW-1:0] mask_b_q, members_q;
  reg [63:0] x_d, y_d, q_d, z_d, mask_a_d, mask_b_d, members_d;
  reg [63:0] x_ext, y_ext, q_ext, z_ext, mask_a_ext, mask_b_ext, members_ext;
  reg [63:0] prng_q, prng_d;
  reg grp_layer_q, grp_layer_d;

  always @* begin
    x_ext = 64'd0;
    x_ext[IN_W-1:0] = x_q;
    q_ext = 64'd0;
    q_ext[IN_W-1:0] = q_q;
    mask_a_ext = 64'd0;
    mask_a_ext[IN_W-1:0] = mask_a_q;
    y_ext = 64'd0;
    y_ext[OUT_W-1:0] = y_q;
    z_ext = 64'd0;
    z_ext[OUT_W-1:0] = z_q;
    mask_b_ext = 64'd0;
    mask_b_ext[MW-1:0] = mask_b_q;
    members_ext = 64'd0;
    members_ext[MW-1:0] = members_q;
  end

  wire [31:0] status_value = {
    21'd0,
    ignored_q,
    bus_err_q,
    evicted_q,
    code_q,
    1'b0,
    (code_q != WNN_ST_OK),
    done_q,
    busy_q
  };

  // Registers whose writes are refused while an operation runs.
  reg frozen;
  always @* begin
    case (addr)
      WNN_REG_CMD, WNN_REG_SLOT, WNN_REG_RANK, WNN_REG_X_LO, WNN_REG_X_HI, WNN_REG_Y_LO,
      WNN_REG_Y_HI, WNN_REG_Q_LO, WNN_REG_Q_HI, WNN_REG_Z_LO, WNN_REG_Z_HI, WNN_REG_PRNG_LO,
      WNN_REG_PRNG_HI, WNN_REG_CFG_WIDTHS, WNN_REG_CFG_POLICY, WNN_REG_CFG_THRESHOLD,
      WNN_REG_CFG_CAPACITY, WNN_REG_CFG_N_GROUPS, WNN_REG_GRP_ADDR, WNN_REG_GRP_LAYER,
      WNN_REG_GRP_MASK_A_LO, WNN_REG_GRP_MASK_A_HI, WNN_REG_GRP_MASK_B_LO, WNN_REG_GRP_MASK_B_HI,
      WNN_REG_GRP_MEMBERS_LO, WNN_REG_GRP_MEMBERS_HI, WNN_REG_GRP_COMMIT:
      frozen = 1'b1;
      default: frozen = 1'b0;
    endcase
  end

  // Read mux; `defined` is 0 for an address the map does not list. Without READBACK the operand
  // and group staging registers read 0, which leaves their storage out of the mux (the driver
  // never reads them; on an iCE40 UP5K that is ~300 logic cells).
  localparam [31:0] RB = (READBACK != 0) ? 32'hFFFFFFFF : 32'd0;
  reg [31:0] rmux;
  reg defined;
  always @* begin
    defined = 1'b1;
    case (addr)
      WNN_REG_ID: rmux = WNN_ID_VALUE;
      WNN_REG_VERSION: rmux = WNN_VERSION_VALUE;
      WNN_REG_PARAMS: rmux = PARAMS_VALUE;
      WNN_REG_PARAMS2: rmux = PARAMS2_VALUE;
      WNN_REG_CMD: rmux = 32'd0;
      WNN_REG_STATUS: rmux = status_value;
      WNN_REG_IRQ_ENABLE: rmux = {31'd0, irq_en_q};
      WNN_REG_SLOT: rmux = RB & slot_q;
      WNN_REG_RANK: rmux = RB & rank_q;
      WNN_REG_X_LO: rmux = RB & x_ext[31:0];
      WNN_REG_X_HI: rmux = RB & x_ext[63:32];
      WNN_REG_Y_LO: rmux = RB & y_ext[31:0];
      WNN_REG_Y_HI: rmux = RB & y_ext[63:32];
      WNN_REG_Q_LO: rmux = RB & q_ext[31:0];
      WNN_REG_Q_HI: rmux = RB & q_ext[63:32];
      WNN_REG_Z_LO: rmux = RB & z_ext[31:0];
      WNN_REG_Z_HI: rmux = RB & z_ext[63:32];
      WNN_REG_PRNG_LO: rmux = RB & prng_q[31:0];
      WNN_REG_PRNG_HI: rmux = RB & prng_q[63:32];
      WNN_REG_R_X_LO: rmux = res_x_i[31:0];
      WNN_REG_R_X_HI: rmux = res_x_i[63:32];
      WNN_REG_R_Y_LO: rmux = res_y_i[31:0];
      WNN_REG_R_Y_HI: rmux = res_y_i[63:32];
      WNN_REG_R_Q_LO: rmux = res_q_i[31:0];
      WNN_REG_R_Q_HI: rmux = res_q_i[63:32];
      WNN_REG_R_Z_LO: rmux = res_z_i[31:0];
      WNN_REG_R_Z_HI: rmux = res_z_i[63:32];
      WNN_REG_R_PRNG_LO: rmux = res_prng_i[31:0];
      WNN_REG_R_PRNG_HI: rmux = res_prng_i[63:32];
      WNN_REG_R_COUNT: rmux = res_count_i;
      WNN_REG_R_REMOVED: rmux = res_removed_i;
      WNN_REG_CYCLES_LAST: rmux = cycles_last_q;
      WNN_REG_OPS_DONE: rmux = ops_done_q;
      WNN_REG_CYCLES_BUSY: rmux = cycles_busy_q;
      WNN_REG_BUS_ERR_ADDR: rmux = {20'd0, bus_err_addr_q};
      WNN_REG_CFG_WIDTHS: rmux = {17'd0, out_bits_q, 1'b0, in_bits_q};
      WNN_REG_CFG_POLICY: rmux = {16'd0, settle_q, 5'd0, evict_q, reset_random_q, tie_zero_q};
      WNN_REG_CFG_THRESHOLD: rmux = {16'd0, threshold_q};
      WNN_REG_CFG_CAPACITY: rmux = capacity_q;
      WNN_REG_CFG_N_GROUPS: rmux = {24'd0, n_groups_q};
      WNN_REG_GRP_ADDR: rmux = RB & grp_addr_q;
      WNN_REG_GRP_LAYER: rmux = RB & {31'd0, grp_layer_q};
      WNN_REG_GRP_MASK_A_LO: rmux = RB & mask_a_ext[31:0];
      WNN_REG_GRP_MASK_A_HI: rmux = RB & mask_a_ext[63:32];
      WNN_REG_GRP_MASK_B_LO: rmux = RB & mask_b_ext[31:0];
      WNN_REG_GRP_MASK_B_HI: rmux = RB & mask_b_ext[63:32];
      WNN_REG_GRP_MEMBERS_LO: rmux = RB & members_ext[31:0];
      WNN_REG_GRP_MEMBERS_HI: rmux = RB & members_ext[63:32];
      WNN_REG_GRP_COMMIT: rmux = 32'd0;
      default: begin
        rmux = 32'd0;
        defined = 1'b0;
      end
    endcase
  end

  wire write_ok = wr & defined & ~(busy_q & frozen);
  // Range checks of the 32-bit SLOT and GRP_ADDR as an OR of the high bits and a compare of the
  // low ones: a 32-bit comparison would be a 32-cell carry chain on an iCE40.
  localparam integer SCW = $clog2(SLOTS + 1);  // bits that hold SLOTS
  localparam integer GCW = $clog2(GROUPS + 1);
  wire bad_slot = (|slot_q[31:SCW]) | (slot_q[SCW-1:0] >= SLOTS_32[SCW-1:0]);
  wire grp_addr_ok = ~(|grp_addr_q[31:GCW]) & (grp_addr_q[GCW-1:0] < GROUPS_32[GCW-1:0]);
  wire accepted = cmd_valid_q & cmd_ready_i;

  always @* begin
    ack_d = acc & defined;
    err_d = acc & ~defined;
    rdata_d = (acc & ~wb_we_i) ? rmux : 32'd0;

    busy_d = busy_q;
    cmd_valid_d = cmd_valid_q;
    running_d = running_q;
    done_d = done_q;
    evicted_d = evicted_q;
    bus_err_d = bus_err_q;
    ignored_d = ignored_q;
    op_d = op_q;
    code_d = code_q;
    cycles_run_d = cycles_run_q;
    cycles_last_d = cycles_last_q;
    ops_done_d = ops_done_q;
    cycles_busy_d = cycles_busy_q + {31'd0, busy_q};
    bus_err_addr_d = bus_err_addr_q;
    irq_en_d = irq_en_q;
    grp_we_d = 1'b0;
    in_bits_d = in_bits_q;
    out_bits_d = out_bits_q;
    tie_zero_d = tie_zero_q;
    reset_random_d = reset_random_q;
    evict_d = evict_q;
    settle_d = settle_q;
    n_groups_d = n_groups_q;
    threshold_d = threshold_q;
    capacity_d = capacity_q;
    slot_d = slot_q;
    rank_d = rank_q;
    grp_addr_d = grp_addr_q;
    x_d = x_ext;
    y_d = y_ext;
    q_d = q_ext;
    z_d = z_ext;
    prng_d = prng_q;
    grp_layer_d = grp_layer_q;
    mask_a_d = mask_a_ext;
    mask_b_d = mask_b_ext;
    members_d = members_ext;

    if (acc & ~defined) begin
      bus_err_d = 1'b1;
      bus_err_addr_d = addr;
    end
    if (wr & defined & busy_q & frozen) ignored_d = 1'b1;

    // The running operation: handshake, cycle count, completion.
    if (accepted) begin
      cmd_valid_d = 1'b0;
      running_d = 1'b1;
      cycles_run_d = 32'd0;
    end else if (running_q) begin
      cycles_run_d = cycles_run_q + 32'd1;
    end
    if (busy_q & done_i) begin
      busy_d = 1'b0;
      running_d = 1'b0;
      done_d = 1'b1;
      code_d = status_i;
      evicted_d = evicted_i;
      cycles_last_d = accepted ? 32'd0 : cycles_run_q;
      ops_done_d = ops_done_q + 32'd1;
    end

    if (write_ok) begin
      case (addr)
        WNN_REG_CMD: begin
          op_d = wdata[3:0];
          done_d = 1'b0;
          evicted_d = 1'b0;
          if (bad_slot) begin
            done_d = 1'b1;
            code_d = WNN_ST_BAD_SLOT;
            cycles_last_d = 32'd0;
            ops_done_d = ops_done_q + 32'd1;
          end else begin
            busy_d = 1'b1;
            cmd_valid_d = 1'b1;
            code_d = WNN_ST_OK;
          end
        end
        WNN_REG_STATUS: begin
          if (wdata[WNN_STATUS_DONE_LSB]) done_d = 1'b0;
          if (wdata[WNN_STATUS_BUS_ERROR_LSB]) bus_err_d = 1'b0;
          if (wdata[WNN_STATUS_IGNORED_LSB]) ignored_d = 1'b0;
        end
        WNN_REG_IRQ_ENABLE: irq_en_d = wdata[WNN_IRQ_ENABLE_DONE_LSB];
        WNN_REG_SLOT: slot_d = wdata;
        WNN_REG_RANK: rank_d = wdata;
        WNN_REG_X_LO: x_d[31:0] = wdata;
        WNN_REG_X_HI: x_d[63:32] = wdata;
        WNN_REG_Y_LO: y_d[31:0] = wdata;
        WNN_REG_Y_HI: y_d[63:32] = wdata;
        WNN_REG_Q_LO: q_d[31:0] = wdata;
        WNN_REG_Q_HI: q_d[63:32] = wdata;
        WNN_REG_Z_LO: z_d[31:0] = wdata;
        WNN_REG_Z_HI: z_d[63:32] = wdata;
        WNN_REG_PRNG_LO: prng_d[31:0] = wdata;
        WNN_REG_PRNG_HI: prng_d[63:32] = wdata;
        WNN_REG_CFG_WIDTHS: begin
          in_bits_d = wdata[WNN_CFG_WIDTHS_IN_BITS_LSB+:7];
          out_bits_d = wdata[WNN_CFG_WIDTHS_OUT_BITS_LSB+:7];
        end
        WNN_REG_CFG_POLICY: begin
          tie_zero_d = wdata[WNN_CFG_POLICY_TIE_ZERO_LSB];
          reset_random_d = wdata[WNN_CFG_POLICY_RESET_RANDOM_LSB];
          evict_d = wdata[WNN_CFG_POLICY_EVICT_LSB];
          settle_d = wdata[WNN_CFG_POLICY_SETTLE_LSB+:8];
        end
        WNN_REG_CFG_THRESHOLD: threshold_d = wdata[WNN_CFG_THRESHOLD_VALUE_LSB+:16];
        WNN_REG_CFG_CAPACITY: capacity_d = wdata;
        WNN_REG_CFG_N_GROUPS: n_groups_d = wdata[WNN_CFG_N_GROUPS_VALUE_LSB+:8];
        WNN_REG_GRP_ADDR: grp_addr_d = wdata;
        WNN_REG_GRP_LAYER: grp_layer_d = wdata[WNN_GRP_LAYER_LAYER_LSB];
        WNN_REG_GRP_MASK_A_LO: mask_a_d[31:0] = wdata;
        WNN_REG_GRP_MASK_A_HI: mask_a_d[63:32] = wdata;
        WNN_REG_GRP_MASK_B_LO: mask_b_d[31:0] = wdata;
        WNN_REG_GRP_MASK_B_HI: mask_b_d[63:32] = wdata;
        WNN_REG_GRP_MEMBERS_LO: members_d[31:0] = wdata;
        WNN_REG_GRP_MEMBERS_HI: members_d[63:32] = wdata;
        WNN_REG_GRP_COMMIT: grp_we_d = grp_addr_ok;
        default: ;
      endcase
    end
  end

  always @(posedge clk_i) begin
    if (rst_i) begin
      ack_q <= 1'b0;
      err_q <= 1'b0;
      busy_q <= 1'b0;
      cmd_valid_q <= 1'b0;
      running_q <= 1'b0;
      done_q <= 1'b0;
      evicted_q <= 1'b0;
      bus_err_q <= 1'b0;
      ignored_q <= 1'b0;
      op_q <= WNN_OP_NOP;
      code_q <= WNN_ST_OK;
      cycles_run_q <= 32'd0;
      cycles_last_q <= 32'd0;
      ops_done_q <= 32'd0;
      cycles_busy_q <= 32'd0;
      bus_err_addr_q <= 12'd0;
      irq_en_q <= 1'b0;
      grp_we_q <= 1'b0;
      in_bits_q <= 7'd0;
      out_bits_q <= 7'd0;
      tie_zero_q <= 1'b0;
      reset_random_q <= 1'b0;
      evict_q <= 1'b0;
      settle_q <= 8'd0;
      n_groups_q <= 8'd0;
      threshold_q <= 16'd0;
      capacity_q <= 32'd0;
      slot_q <= 32'd0;
    end else begin
      ack_q <= ack_d;
      err_q <= err_d;
      busy_q <= busy_d;
      cmd_valid_q <= cmd_valid_d;
      running_q <= running_d;
      done_q <= done_d;
      evicted_q <= evicted_d;
      bus_err_q <= bus_err_d;
      ignored_q <= ignored_d;
      op_q <= op_d;
      code_q <= code_d;
      cycles_run_q <= cycles_run_d;
      cycles_last_q <= cycles_last_d;
      ops_done_q <= ops_done_d;
      cycles_busy_q <= cycles_busy_d;
      bus_err_addr_q <= bus_err_addr_d;
      irq_en_q <= irq_en_d;
      grp_we_q <= grp_we_d;
      in_bits_q <= in_bits_d;
      out_bits_q <= out_bits_d;
      tie_zero_q <= tie_zero_d;
      reset_random_q <= reset_random_d;
      evict_q <= evict_d;
      settle_q <= settle_d;
      n_groups_q <= n_groups_d;
      threshold_q <= threshold_d;
      capacity_q <= capacity_d;
      slot_q <= slot_d;
    end
  end

  always @(posedge clk_i) begin
    rdata_q <= rdata_d;
    rank_q <= rank_d;
    grp_addr_q <= grp_addr_d;
    x_q <= x_d[IN_W-1:0];
    y_q <= y_d[OUT_W-1:0];
    q_q <= q_d[IN_W-1:0];
    z_q <= z_d[OUT_W-1:0];
    prng_q <= prng_d;
    grp_layer_q <= grp_layer_d;
    mask_a_q <= mask_a_d[IN_W-1:0];
    mask_b_q <= mask_b_d[MW-1:0];
    members_q <= members_d[MW-1:0];
  end

  // The write temporaries' bits above the stored widths are dropped on purpose.
  wire unused_wide = ^{x_d, y_d, q_d, z_d, mask_a_d, mask_b_d, members_d};

  assign wb_stall_o = 1'b0;
  assign wb_ack_o = ack_q;
  assign wb_err_o = err_q;
  assign wb_dat_o = rdata_q;
  assign irq_o = irq_en_q & done_q;

  assign cfg_in_bits_o = in_bits_q;
  assign cfg_out_bits_o = out_bits_q;
  assign cfg_tie_zero_o = tie_zero_q;
  assign cfg_reset_random_o = reset_random_q;
  assign cfg_evict_o = evict_q;
  assign cfg_settle_o = settle_q;
  assign cfg_threshold_o = threshold_q;
  assign cfg_capacity_o = capacity_q;
  assign cfg_n_groups_o = n_groups_q;

  assign grp_we_o = grp_we_q;
  assign grp_addr_o = grp_addr_q[GW-1:0];
  assign grp_layer_o = grp_layer_q;
  assign grp_mask_a_o = mask_a_ext;
  assign grp_mask_b_o = mask_b_ext;
  assign grp_members_o = members_ext;

  assign cmd_valid_o = cmd_valid_q;
  assign cmd_op_o = op_q;
  assign cmd_slot_o = slot_q[SW-1:0];
  assign cmd_rank_o = rank_q;
  assign cmd_x_o = x_ext;
  assign cmd_y_o = y_ext;
  assign cmd_q_o = q_ext;
  assign cmd_z_o = z_ext;
  assign cmd_prng_o = prng_q;
endmodule

`default_nettype wire
