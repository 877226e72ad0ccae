// SPDX-License-Identifier: MIT
// wnn_core - the weightless agent engine: agent slots, entry memory, group table and command sequencer (docs/algorithm.md).
`default_nettype none

// One command at a time: cmd_valid_i && cmd_ready_o accepts it, done_o pulses when it finishes,
// and status_o / res_*_o then hold until the next command is accepted. The issuer holds the
// command's operands (cmd_*_i) from the accept to done_o, as it holds the configuration:
// wnn_wb_regs refuses writes while an operation runs, so the core keeps no copy of them.
//
// Storage
//   entry memory  LANES banks (wnn_ram); physical index p of slot s is in bank p % LANES, row
//                 s*(DEPTH/LANES) + p/LANES; rank r is at p = (base + r) mod DEPTH (§2).
//   slot records  seed, prng, q, z, base, count per slot (a small array). A command reads its
//                 slot's record into the work registers (res_*_o) and writes it back when done;
//                 with one slot the work registers are the record.
//   group table   GROUPS rows of {members, mask_b, mask_a, layer} (wnn_ram). Up to UNITS groups
//                 at a time are loaded into wnn_search; the loaded set is kept between commands,
//                 and reloaded in the background (cmd_ready_o low) after the table or the group
//                 count changes, so a one-pass step never waits for it.
//
// Cycles from accept to done_o, with R = rows holding the slot's entries =
// ceil((base % LANES + count) / LANES), T = R + 4 (1 when count = 0), P = ceil(n_groups / UNITS),
// E = 1 when count = 0 (an empty scan waits for the second tie word), else 0:
//   TRAIN, INIT_SLOT, CLEAR, READ/WRITE_STATE, NOP, any error               1
//   RESET_STATE                                     1 (reset zero), 2 (reset random)
//   READ_ENTRY                                                              2
//   STEP                    1 + T + E + (P-1)*(UNITS + 1 + T); one pass: R + 5 (3 when empty)
//   PREDICT                 2 + settle*(T + E + (P-1)*(UNITS + 1 + T)) + E (reset random)
//   FORGET_ENTRY r, FORGET_INPUT                    count - r + 2, count + 2
// Writing the group table or changing cfg_n_groups_i holds cmd_ready_o low for UNITS + 2 cycles
// while the first pass's groups are reloaded.
module wnn_core #(
  parameter integer IN_W   = 26,  // input (I) and Q width, 1..64
  parameter integer OUT_W  = 10,  // Z width, 1..64
  parameter integer LANES  = 1,   // entries compared per clock, power of 2
  parameter integer UNITS  = 8,   // search units (groups searched per pass), >= 1
  parameter integer SLOTS  = 4,   // agent slots, >= 1
  parameter integer DEPTH  = 256, // entries per slot, power of 2, multiple of LANES, >= 2
  parameter integer GROUPS = 64   // group table rows, 1..255
) (
  input  wire        clk_i,
  input  wire        rst_i,
  // configuration, static while a command runs
  input  wire [6:0]  cfg_in_bits_i,
  input  wire [6:0]  cfg_out_bits_i,
  input  wire        cfg_tie_zero_i,
  input  wire        cfg_reset_random_i,
  input  wire        cfg_evict_i,
  input  wire [7:0]  cfg_settle_i,
  input  wire [15:0] cfg_threshold_i,
  input  wire [31:0] cfg_capacity_i,
  input  wire [7:0]  cfg_n_groups_i,
  // group table write port
  input  wire                                           grp_we_i,
  input  wire [((GROUPS > 1) ? $clog2(GROUPS) : 1)-1:0] grp_addr_i,
  input  wire                                           grp_layer_i,
  input  wire [63:0]                                    grp_mask_a_i,
  input  wire [63:0]                                    grp_mask_b_i,
  input  wire [63:0]                                    grp_members_i,
  // command
  input  wire                                         cmd_valid_i,
  output wire                                         cmd_ready_o,
  input  wire [3:0]                                   cmd_op_i,
  input  wire [((SLOTS > 1) ? $clog2(SLOTS) : 1)-1:0] cmd_slot_i,
  input  wire [31:0]                                  cmd_rank_i,
  input  wire [63:0]                                  cmd_x_i,
  input  wire [63:0]                                  cmd_y_i,
  input  wire [63:0]                                  cmd_q_i,
  input  wire [63:0]                                  cmd_z_i,
  input  wire [63:0]                                  cmd_prng_i,
  // result
  output wire        done_o,
  output wire [3:0]  status_o,
  output wire        evicted_o,
  output wire [63:0] res_x_o,
  output wire [63:0] res_y_o,
  output wire [63:0] res_q_o,
  output wire [63:0] res_z_o,
  output wire [63:0] res_prng_o,
  output wire [31:0] res_count_o,
  output wire [31:0] res_removed_o
);

  // ---------------------------------------------------------------- sizes
  localparam integer SW   = (SLOTS > 1) ? $clog2(SLOTS) : 1;
  localparam integer GW   = (GROUPS > 1) ? $clog2(GROUPS) : 1;
  localparam integer UIW  = (UNITS > 1) ? $clog2(UNITS) : 1;
  localparam integer PW   = $clog2(DEPTH);      // physical index bits
  localparam integer CW   = $clog2(DEPTH + 1);  // count bits (PW + 1)
  localparam integer LW   = $clog2(LANES);      // lane bits of a physical index (0 for one lane)
  localparam integer ROWS = DEPTH / LANES;      // rows per slot
  localparam integer RSH  = $clog2(ROWS);
  localparam integer SAW  = (SLOTS > 1) ? $clog2(SLOTS) : 0; // slot bits of an entry RAM address
  localparam integer MAW  = (SAW + RSH > 0) ? SAW + RSH : 1;  // entry RAM address bits
  localparam integer EW   = IN_W + OUT_W;       // entry: {ey, ex}
  localparam integer MW   = (IN_W > OUT_W) ? IN_W : OUT_W;
  localparam integer GTW  = 1 + IN_W + 2 * MW;  // group row: {members, mask_b, mask_a, layer}
  localparam integer SPW  = PW + 2;             // scan position bits (< DEPTH + 2*LANES)
  localparam integer GPW  = $clog2(256 + UNITS); // group positions: pass + unit < 255 + UNITS

  // slot record fields, LSB first
  localparam integer O_CNT  = 0;
  localparam integer O_BASE = O_CNT + CW;
  localparam integer O_Z    = O_BASE + PW;
  localparam integer O_Q    = O_Z + OUT_W;
  localparam integer O_PRNG = O_Q + IN_W;
  localparam integer O_SEED = O_PRNG + 64;
  localparam integer SRW    = O_SEED + 64;

  localparam integer LANES_M1 = LANES - 1;
  localparam integer ROWS_M1  = ROWS - 1;
  localparam [PW-1:0]  LMASK_P  = LANES_M1[PW-1:0];
  localparam [PW-1:0]  RMASK_P  = ROWS_M1[PW-1:0];
  localparam [SPW-1:0] LANES_S  = LANES[SPW-1:0];
  localparam [7:0]     GROUPS_8 = GROUPS[7:0];
  localparam [31:0]    UNITS_32 = UNITS;
  localparam [GPW-1:0] UNITS_G  = UNITS_32[GPW-1:0];
  localparam [GPW-1:0] GPOS_0   = {GPW{1'b0}};
  localparam [GPW-1:0] GPOS_1   = {{(GPW-1){1'b0}}, 1'b1};
  localparam [63:0]    PRNG_ZERO_SEED = 64'h9E3779B97F4A7C15; // §4.3

  localparam [3:0] OP_NOP          = 4'd0;
  localparam [3:0] OP_TRAIN        = 4'd1;
  localparam [3:0] OP_PREDICT      = 4'd2;
  localparam [3:0] OP_STEP         = 4'd3;
  localparam [3:0] OP_RESET_STATE  = 4'd4;
  localparam [3:0] OP_FORGET_ENTRY = 4'd5;
  localparam [3:0] OP_FORGET_INPUT = 4'd6;
  localparam [3:0] OP_CLEAR        = 4'd7;
  localparam [3:0] OP_READ_ENTRY   = 4'd8;
  localparam [3:0] OP_INIT_SLOT    = 4'd9;
  localparam [3:0] OP_READ_STATE   = 4'd10;
  localparam [3:0] OP_WRITE_STATE  = 4'd11;

  localparam [3:0] ST_OK         = 4'd0;
  localparam [3:0] ST_FULL       = 4'd1;
  localparam [3:0] ST_RANGE      = 4'd2;
  localparam [3:0] ST_BAD_OP     = 4'd3;
  localparam [3:0] ST_BAD_CONFIG = 4'd4;

  localparam [3:0] S_IDLE  = 4'd0; // ready
  localparam [3:0] S_LOAD  = 4'd1; // slot record read (cur_*): run or start the command
  localparam [3:0] S_SBEG  = 4'd2; // PREDICT: begin the first step
  localparam [3:0] S_SCAN  = 4'd3; // issue entry rows
  localparam [3:0] S_DRAIN = 4'd4; // wait for the search pipeline and the tie words, then vote
  localparam [3:0] S_GLOAD = 4'd5; // load groups into the search units
  localparam [3:0] S_RDW   = 4'd6; // READ_ENTRY: data arrives
  localparam [3:0] S_FGT   = 4'd7; // FORGET_*: compaction
  localparam [3:0] S_RSTZ  = 4'd8; // RESET_STATE (random): draw z

  // ---------------------------------------------------------------- helpers
  // §4.3 xorshift64 (13, 7, 17)
  function [63:0] xs64;
    input [63:0] s;
    reg   [63:0] v;
    begin
      v    = s ^ (s << 6'd13);
      v    = v ^ (v >> 6'd7);
      v    = v ^ (v << 6'd17);
      xs64 = v;
    end
  endfunction

  function [63:0] prng_seed;
    input [63:0] v;
    begin
      prng_seed = (v == 64'd0) ? PRNG_ZERO_SEED : v;
    end
  endfunction

  // entry RAM row address of physical row r of slot s
  function [MAW-1:0] row_addr;
    input [SW-1:0] s;
    input [PW-1:0] r;
    reg   [SW+PW-1:0] t;
    begin
      t        = ({{PW{1'b0}}, s} << RSH) | {{SW{1'b0}}, r & RMASK_P};
      row_addr = t[MAW-1:0];
    end
  endfunction

  // bank of physical index p, as a PW-bit value
  function [PW-1:0] bank_of;
    input [PW-1:0] p;
    begin
      bank_of = p & LMASK_P;
    end
  endfunction

  // ---------------------------------------------------------------- registers
  reg [3:0]       state_q, state_d;
  reg             done_q, done_d;
  // the command: its operands are held by the issuer from the accept to done_o
  wire [3:0]       op   = cmd_op_i;
  wire [SW-1:0]    slot = cmd_slot_i;
  wire [CW-1:0]    rank = cmd_rank_i[CW-1:0];
  wire             rank_big = |cmd_rank_i[31:PW];  // >= DEPTH: out of range whatever the count
  wire [IN_W-1:0]  x    = cmd_x_i[IN_W-1:0];
  wire [OUT_W-1:0] y    = cmd_y_i[OUT_W-1:0];
  wire [IN_W-1:0]  wq   = cmd_q_i[IN_W-1:0];   // WRITE_STATE operands
  wire [OUT_W-1:0] wz   = cmd_z_i[OUT_W-1:0];
  wire [63:0]      wprng = cmd_prng_i;         // WRITE_STATE prng, INIT_SLOT seed
  // work copy of the slot record (drives res_*_o)
  reg [63:0]      seed_q, seed_d;
  reg [63:0]      prng_q, prng_d;
  reg [IN_W-1:0]  q_q, q_d;
  reg [OUT_W-1:0] z_q, z_d;
  reg [PW-1:0]    base_q, base_d;
  reg [CW-1:0]    count_q, count_d;
  // results
  reg [3:0]       status_q, status_d;
  reg             evicted_q, evicted_d;
  reg [IN_W-1:0]  resx_q, resx_d;
  reg [OUT_W-1:0] resy_q, resy_d;
  reg [CW-1:0]    removed_q, removed_d;
  // step
  reg [IN_W-1:0]  tieq_q, tieq_d;    // tie words of this step (§4.4)
  reg [OUT_W-1:0] tiez_q, tiez_d;
  // PRNG draws still to make, one per clock in this order (§4.1 z, §4.4 tie words): one xorshift
  // unit serves every draw, which costs a few clocks only where nothing else is in flight.
  reg             zdraw_q, zdraw_d;
  reg             adraw_q, adraw_d;  // tie word of Q
  reg             bdraw_q, bdraw_d;  // tie word of Z
  reg [IN_W-1:0]  qacc_q, qacc_d;    // new state, filled in pass by pass
  reg [OUT_W-1:0] zacc_q, zacc_d;
  reg [7:0]       steps_q, steps_d;  // PREDICT: steps left, this one included
  reg [GPW-1:0]   pass_q, pass_d;    // first group of the current pass
  reg [GPW-1:0]   pass0_q, pass0_d;  // first group of the step's first pass
  reg [GPW-1:0]   pnext_q, pnext_d;  // first group of the next pass
  reg             more_q, more_d;    // the step has passes left after this one
  reg [SPW-1:0]   spos_q, spos_d;    // scan position: rows issued * LANES
  // loaded groups
  reg             cache_v_q, cache_v_d;       // the units hold the groups pass cache_pass_q ...
  reg [GPW-1:0]   cache_pass_q, cache_pass_d;
  reg [7:0]       cache_ng_q, cache_ng_d;     // ... of a table of cache_ng_q groups
  reg [GPW-1:0]   gl_k_q, gl_k_d;             // next unit to read
  reg             gl_pend_q, gl_pend_d;       // a group row arrives this cycle ...
  reg [UIW-1:0]   gl_unit_q, gl_unit_d;       // ... for this unit
  reg             gl_en_q, gl_en_d;           // ... and is in the table
  reg             gl_dirty_q, gl_dirty_d;     // the table was written during the load
  reg [7:0]       gl_ng_q, gl_ng_d;
  reg             preload_q, preload_d;       // a background load: back to idle after it
  // forgetting / reading
  reg [CW-1:0]    fg_i_q, fg_i_d;             // next rank to read
  reg [CW-1:0]    fg_w_q, fg_w_d;             // next rank to write
  reg             fg_pend_q, fg_pend_d;       // the entry of rank fg_prank_q arrives this cycle
  reg [CW-1:0]    fg_prank_q, fg_prank_d;
  reg [PW-1:0]    rbank_q, rbank_d;           // bank of the entry read last cycle

  // ---------------------------------------------------------------- slot records
  // The slot's state: the record just read in S_LOAD, the work registers after it. With one slot
  // the work registers are the record: every command ends by writing back what they hold.
  wire             in_load = (state_q == S_LOAD);
  wire [63:0]      cur_seed, cur_prng;
  wire [IN_W-1:0]  cur_q;
  wire [OUT_W-1:0] cur_z;
  wire [PW-1:0]    cur_base;
  wire [CW-1:0]    cur_count;
  reg              slot_we;

  generate
    if (SLOTS > 1) begin : g_slots
      reg  [SRW-1:0] slot_mem_q [0:SLOTS-1];
      reg  [SRW-1:0] slot_rd_q;
      wire [SRW-1:0] slot_wdata = {seed_d, prng_d, q_d, z_d, base_d, count_d};

      always @(posedge clk_i) begin
        if (slot_we) begin
          slot_mem_q[slot] <= slot_wdata;
        end
        slot_rd_q <= slot_mem_q[cmd_slot_i];
      end

      assign cur_seed  = in_load ? slot_rd_q[O_SEED +: 64]  : seed_q;
      assign cur_prng  = in_load ? slot_rd_q[O_PRNG +: 64]  : prng_q;
      assign cur_q     = in_load ? slot_rd_q[O_Q +: IN_W]   : q_q;
      assign cur_z     = in_load ? slot_rd_q[O_Z +: OUT_W]  : z_q;
      assign cur_base  = in_load ? slot_rd_q[O_BASE +: PW]  : base_q;
      assign cur_count = in_load ? slot_rd_q[O_CNT +: CW]   : count_q;
    end else begin : g_one_slot
      assign cur_seed  = seed_q;
      assign cur_prng  = prng_q;
      assign cur_q     = q_q;
      assign cur_z     = z_q;
      assign cur_base  = base_q;
      assign cur_count = count_q;
      wire unused_slot_we = slot_we;
    end
  endgenerate

  // ---------------------------------------------------------------- memories
  reg  [MAW-1:0]       ram_raddr;
  reg  [MAW-1:0]       ram_waddr;
  reg  [EW-1:0]        ram_wdata;
  reg  [LANES-1:0]     ram_we;
  wire [LANES*EW-1:0]  ram_rdata;

  genvar gl;
  generate
    for (gl = 0; gl < LANES; gl = gl + 1) begin : g_bank
      wnn_ram #(
        .WIDTH (EW),
        .WORDS (SLOTS * ROWS),
        .AW    (MAW)
      ) u_entries (
        .clk_i   (clk_i),
        .we_i    (ram_we[gl]),
        .waddr_i (ram_waddr),
        .wdata_i (ram_wdata),
        .raddr_i (ram_raddr),
        .rdata_o (ram_rdata[gl*EW +: EW])
      );
    end
  endgenerate

  reg  [GW-1:0]  grp_raddr;
  wire [GTW-1:0] grp_rdata;

  wnn_ram #(
    .WIDTH (GTW),
    .WORDS (GROUPS),
    .AW    (GW)
  ) u_groups (
    .clk_i   (clk_i),
    .we_i    (grp_we_i),
    .waddr_i (grp_addr_i),
    .wdata_i ({grp_members_i[MW-1:0], grp_mask_b_i[MW-1:0], grp_mask_a_i[IN_W-1:0], grp_layer_i}),
    .raddr_i (grp_raddr),
    .rdata_o (grp_rdata)
  );

  // ---------------------------------------------------------------- search
  reg              ld_clear, ld_valid, srch_clr, iss_valid;
  reg  [LANES-1:0] iss_lanes;
  wire             srch_busy;
  wire [IN_W-1:0]  vote_q, own_q;
  wire [OUT_W-1:0] vote_z, own_z;

  wnn_search #(
    .IN_W  (IN_W),
    .OUT_W (OUT_W),
    .LANES (LANES),
    .UNITS (UNITS),
    .CW    (CW)
  ) u_search (
    .clk_i        (clk_i),
    .rst_i        (rst_i),
    .ld_clear_i   (ld_clear),
    .ld_valid_i   (ld_valid),
    .ld_unit_i    (gl_unit_q),
    .ld_en_i      (gl_en_q),
    .ld_layer_i   (grp_rdata[0]),
    .ld_mask_a_i  (grp_rdata[1 +: IN_W]),
    .ld_mask_b_i  (grp_rdata[1 + IN_W +: MW]),
    .ld_members_i (grp_rdata[1 + IN_W + MW +: MW]),
    .clr_i        (srch_clr),
    .iss_valid_i  (iss_valid),
    .iss_lanes_i  (iss_lanes),
    .row_i        (ram_rdata),
    .x_i          (x),
    .q_i          (q_q),
    .z_i          (z_q),
    .thr_i        (cfg_threshold_i),
    .tie_q_i      (tieq_q),
    .tie_z_i      (tiez_q),
    .tie_zero_i   (cfg_tie_zero_i),
    .busy_o       (srch_busy),
    .vote_q_o     (vote_q),
    .own_q_o      (own_q),
    .vote_z_o     (vote_z),
    .own_z_o      (own_z)
  );

  // ---------------------------------------------------------------- next state
  // Decoded a cycle early (the configuration is static from the accept on), which keeps the
  // compares off the S_LOAD paths: the capacity check and the masks of the configured widths.
  // 1 <= capacity <= DEPTH = 2^PW, without a 32-bit carry chain
  wire [31-PW:0] cap_hi   = cfg_capacity_i[31:PW];
  wire [PW-1:0]  cap_lo   = cfg_capacity_i[PW-1:0];
  wire           cap_ok_w = ((cap_hi == {(32-PW){1'b0}}) && (cap_lo != {PW{1'b0}})) ||
                            ((cap_hi == {{(31-PW){1'b0}}, 1'b1}) && (cap_lo == {PW{1'b0}}));
  reg  cap_ok_q;
  reg  [IN_W-1:0]  in_mask_q;
  reg  [OUT_W-1:0] out_mask_q;
  always @(posedge clk_i) begin : c_cfg_decode
    integer l;
    cap_ok_q <= cap_ok_w;
    for (l = 0; l < IN_W; l = l + 1) begin
      in_mask_q[l] <= ({1'b0, l[6:0]} < {1'b0, cfg_in_bits_i});
    end
    for (l = 0; l < OUT_W; l = l + 1) begin
      out_mask_q[l] <= ({1'b0, l[6:0]} < {1'b0, cfg_out_bits_i});
    end
  end
  wire ng_fits; // cfg_n_groups_i <= GROUPS
  generate
    if (GROUPS >= 255) begin : g_ng_all
      assign ng_fits = 1'b1;
    end else begin : g_ng_cmp
      assign ng_fits = (cfg_n_groups_i <= GROUPS_8);
    end
  endgenerate
  wire ng_ok    = (cfg_n_groups_i != 8'd0) && ng_fits;
  wire cache_ok = cache_v_q && (cache_ng_q == cfg_n_groups_i);
  wire preload  = !cache_ok && ng_ok; // load the first pass's groups before the next command

  reg             full, rank_out;
  reg [63:0]      x_64, xs_in, xs_out;
  reg [PW-1:0]    phys;
  reg [EW-1:0]    rd_entry;
  reg             finish, start_step, start_gload, start_scan, issue, drop;
  reg [GPW-1:0]   pass_sel;
  reg [GPW-1:0]   gidx;
  reg [IN_W-1:0]  q_new;
  reg [OUT_W-1:0] z_new;
  reg [CW-1:0]    fg_w_next;
  reg [SPW-1:0]   s_lim, s_fl, s_pos;
  reg [PW-1:0]    s_row;

  always @* begin : c_next
    integer l;
    l            = 0;
    state_d      = state_q;
    done_d       = 1'b0;
    seed_d       = seed_q;
    prng_d       = prng_q;
    q_d          = q_q;
    z_d          = z_q;
    base_d       = base_q;
    count_d      = count_q;
    status_d     = status_q;
    evicted_d    = evicted_q;
    resx_d       = resx_q;
    resy_d       = resy_q;
    removed_d    = removed_q;
    tieq_d       = tieq_q;
    tiez_d       = tiez_q;
    zdraw_d      = zdraw_q;
    adraw_d      = adraw_q;
    bdraw_d      = bdraw_q;
    qacc_d       = qacc_q;
    zacc_d       = zacc_q;
    steps_d      = steps_q;
    pass_d       = pass_q;
    pass0_d      = pass0_q;
    spos_d       = spos_q;
    cache_v_d    = cache_v_q;
    cache_pass_d = cache_pass_q;
    cache_ng_d   = cache_ng_q;
    gl_k_d       = gl_k_q;
    gl_pend_d    = 1'b0;
    gl_unit_d    = gl_unit_q;
    gl_en_d      = gl_en_q;
    gl_dirty_d   = gl_dirty_q | grp_we_i;
    gl_ng_d      = gl_ng_q;
    preload_d    = preload_q;
    fg_i_d       = fg_i_q;
    fg_w_d       = fg_w_q;
    fg_pend_d    = 1'b0;
    fg_prank_d   = fg_prank_q;
    rbank_d      = rbank_q;

    ram_raddr    = {MAW{1'b0}};
    ram_waddr    = {MAW{1'b0}};
    ram_wdata    = {y, x};
    ram_we       = {LANES{1'b0}};
    grp_raddr    = {GW{1'b0}};
    ld_clear     = 1'b0;
    ld_valid     = 1'b0;
    srch_clr     = 1'b0;
    iss_valid    = 1'b0;
    iss_lanes    = {LANES{1'b0}};
    slot_we      = 1'b0;

    finish       = 1'b0;
    start_step   = 1'b0;
    start_gload  = 1'b0;
    start_scan   = 1'b0;
    issue        = 1'b0;
    drop         = 1'b0;
    pass_sel     = GPOS_0;
    gidx         = GPOS_0;
    q_new        = qacc_q;
    z_new        = zacc_q;
    fg_w_next    = fg_w_q;
    s_lim        = {SPW{1'b0}};
    s_fl         = {SPW{1'b0}};
    s_pos        = {SPW{1'b0}};
    s_row        = {PW{1'b0}};
    rd_entry     = {EW{1'b0}};
    phys         = {PW{1'b0}};

    full                = (cur_count >= cfg_capacity_i[CW-1:0]); // when cap_ok_q
    rank_out            = rank_big || (rank >= cur_count);
    x_64                = 64'd0;
    x_64[IN_W-1:0]      = x;
    // The next PRNG draw, for the reset (§4.1: q, then z) and a step's tie words (§4.4). Only
    // PREDICT's reset, in S_LOAD, starts from the reseeded state (§7).
    xs_in  = (in_load && op == OP_PREDICT) ? prng_seed(cur_seed ^ x_64) : cur_prng;
    xs_out = xs64(xs_in);

    case (state_q)
      S_IDLE: begin
        if (preload) begin
          start_gload = 1'b1;
          pass_sel    = GPOS_0;
          preload_d   = 1'b1;
        end else if (cmd_valid_i) begin
          status_d  = ST_OK;
          evicted_d = 1'b0;
          resx_d    = {IN_W{1'b0}};
          resy_d    = {OUT_W{1'b0}};
          removed_d = {CW{1'b0}};
          state_d   = S_LOAD;
        end
      end

      S_LOAD: begin
        seed_d  = cur_seed;
        prng_d  = cur_prng;
        q_d     = cur_q;
        z_d     = cur_z;
        base_d  = cur_base;
        count_d = cur_count;
        case (op)
          OP_NOP, OP_READ_STATE: begin
            finish = 1'b1;
          end
          OP_TRAIN: begin // §6
            finish = 1'b1;
            if (!cap_ok_q) begin
              status_d = ST_BAD_CONFIG;
            end else if (full && !cfg_evict_i) begin
              status_d = ST_FULL;
            end else begin
              phys      = cur_base + cur_count[PW-1:0];
              ram_waddr = row_addr(slot, phys >> LW);
              for (l = 0; l < LANES; l = l + 1) begin
                ram_we[l] = (bank_of(phys) == l[PW-1:0]);
              end
              if (full) begin
                base_d    = cur_base + {{(PW-1){1'b0}}, 1'b1};
                evicted_d = 1'b1;
              end else begin
                count_d   = cur_count + {{(CW-1){1'b0}}, 1'b1};
              end
              q_d = x;
              z_d = y;
            end
          end
          OP_PREDICT: begin // §7
            if (!ng_ok || cfg_settle_i == 8'd0) begin
              status_d = ST_BAD_CONFIG;
              finish   = 1'b1;
            end else begin
              if (cfg_reset_random_i) begin // z is drawn in S_SBEG
                q_d     = xs_out[IN_W-1:0] & in_mask_q;
                prng_d  = xs_out;
                zdraw_d = 1'b1;
              end else begin
                q_d    = {IN_W{1'b0}};
                z_d    = {OUT_W{1'b0}};
                prng_d = xs_in;
              end
              steps_d = cfg_settle_i;
              state_d = S_SBEG;
            end
          end
          OP_STEP: begin
            if (!ng_ok) begin
              status_d = ST_BAD_CONFIG;
              finish   = 1'b1;
            end else begin
              steps_d    = 8'd1;
              start_step = 1'b1;
            end
          end
          OP_RESET_STATE: begin // §4.1
            if (cfg_reset_random_i) begin
              q_d     = xs_out[IN_W-1:0] & in_mask_q;
              prng_d  = xs_out;
              zdraw_d = 1'b1;
              state_d = S_RSTZ;
            end else begin
              q_d    = {IN_W{1'b0}};
              z_d    = {OUT_W{1'b0}};
              finish = 1'b1;
            end
          end
          OP_FORGET_ENTRY: begin // §8
            if (rank_out) begin
              status_d = ST_RANGE;
              finish   = 1'b1;
            end else begin
              fg_i_d  = rank;
              fg_w_d  = rank;
              state_d = S_FGT;
            end
          end
          OP_FORGET_INPUT: begin
            fg_i_d  = {CW{1'b0}};
            fg_w_d  = {CW{1'b0}};
            state_d = S_FGT;
          end
          OP_CLEAR: begin
            base_d  = {PW{1'b0}};
            count_d = {CW{1'b0}};
            finish  = 1'b1;
          end
          OP_READ_ENTRY: begin
            if (rank_out) begin
              status_d = ST_RANGE;
              finish   = 1'b1;
            end else begin
              phys      = cur_base + rank[PW-1:0];
              ram_raddr = row_addr(slot, phys >> LW);
              rbank_d   = bank_of(phys);
              state_d   = S_RDW;
            end
          end
          OP_INIT_SLOT: begin
            seed_d  = wprng;
            prng_d  = prng_seed(wprng);
            q_d     = {IN_W{1'b0}};
            z_d     = {OUT_W{1'b0}};
            base_d  = {PW{1'b0}};
            count_d = {CW{1'b0}};
            finish  = 1'b1;
          end
          OP_WRITE_STATE: begin
            q_d    = wq;
            z_d    = wz;
            prng_d = wprng;
            finish = 1'b1;
          end
          default: begin
            status_d = ST_BAD_OP;
            finish   = 1'b1;
          end
        endcase
      end

      S_SBEG: begin
        start_step = 1'b1;
      end

      S_SCAN: begin
        issue = 1'b1;
      end

      S_DRAIN: begin
        if (!srch_busy && !adraw_q && !bdraw_q) begin
          // §4.3: the loaded groups decide their neurons
          q_new     = (qacc_q & ~own_q) | (vote_q & own_q);
          z_new     = (zacc_q & ~own_z) | (vote_z & own_z);
          qacc_d    = q_new;
          zacc_d    = z_new;
          if (more_q) begin // with several passes the next one is never the loaded one
            start_gload = 1'b1;
            pass_sel    = pnext_q;
            preload_d   = 1'b0;
          end else begin
            q_d = q_new; // §4.4: both layers change together
            z_d = z_new;
            if (steps_q != 8'd1) begin
              steps_d    = steps_q - 8'd1;
              start_step = 1'b1;
            end else begin
              finish = 1'b1;
            end
          end
        end
      end

      S_GLOAD: begin
        ld_valid = gl_pend_q;
        if (gl_k_q < UNITS_G) begin
          gidx      = pass_q + gl_k_q;
          grp_raddr = gidx[GW-1:0];
          gl_pend_d = 1'b1;
          gl_unit_d = gl_k_q[UIW-1:0];
          gl_en_d   = (gidx < {{(GPW-8){1'b0}}, gl_ng_q});
          gl_k_d    = gl_k_q + GPOS_1;
        end else begin
          cache_v_d    = ~gl_dirty_q;
          cache_pass_d = pass_q;
          cache_ng_d   = gl_ng_q;
          if (preload_q) begin
            preload_d = 1'b0;
            state_d   = S_IDLE;
          end else begin
            start_scan = 1'b1;
          end
        end
      end

      S_RDW: begin
        for (l = 0; l < LANES; l = l + 1) begin
          if (rbank_q == l[PW-1:0]) begin
            rd_entry = ram_rdata[l*EW +: EW];
          end
        end
        resx_d = rd_entry[IN_W-1:0];
        resy_d = rd_entry[EW-1:IN_W];
        finish = 1'b1;
      end

      S_RSTZ: begin // the draw below sets z
        finish = 1'b1;
      end

      S_FGT: begin // §8: one pass that copies each kept entry down
        if (fg_pend_q) begin
          for (l = 0; l < LANES; l = l + 1) begin
            if (rbank_q == l[PW-1:0]) begin
              rd_entry = ram_rdata[l*EW +: EW];
            end
          end
          drop = (op == OP_FORGET_INPUT) ? (rd_entry[IN_W-1:0] == x)
                                           : (fg_prank_q == rank);
          if (!drop) begin
            phys      = cur_base + fg_w_q[PW-1:0];
            ram_waddr = row_addr(slot, phys >> LW);
            ram_wdata = rd_entry;
            for (l = 0; l < LANES; l = l + 1) begin
              ram_we[l] = (bank_of(phys) == l[PW-1:0]);
            end
            fg_w_next = fg_w_q + {{(CW-1){1'b0}}, 1'b1};
          end
        end
        fg_w_d = fg_w_next;
        if (fg_i_q < cur_count) begin
          phys       = cur_base + fg_i_q[PW-1:0];
          ram_raddr  = row_addr(slot, phys >> LW);
          rbank_d    = bank_of(phys);
          fg_pend_d  = 1'b1;
          fg_prank_d = fg_i_q;
          fg_i_d     = fg_i_q + {{(CW-1){1'b0}}, 1'b1};
        end else begin
          count_d = fg_w_next;
          if (op == OP_FORGET_INPUT) begin
            removed_d = cur_count - fg_w_next;
          end
          finish = 1'b1;
        end
      end

      default: begin
        state_d = S_IDLE;
      end
    endcase

    // One pending draw per clock. The states above draw only when none is pending.
    if (zdraw_q) begin
      z_d     = xs_out[OUT_W-1:0] & out_mask_q;
      prng_d  = xs_out;
      zdraw_d = 1'b0;
    end else if (adraw_q) begin
      tieq_d  = xs_out[IN_W-1:0];
      prng_d  = xs_out;
      adraw_d = 1'b0;
    end else if (bdraw_q) begin
      tiez_d  = xs_out[OUT_W-1:0];
      prng_d  = xs_out;
      bdraw_d = 1'b0;
    end
    // §4.4 step 1: both tie words are drawn whether a tie happens or not; the first at once unless
    // PREDICT's reset is still drawing z.
    if (start_step) begin
      if (zdraw_q) begin
        adraw_d = 1'b1;
      end else begin
        tieq_d  = xs_out[IN_W-1:0];
        prng_d  = xs_out;
      end
      bdraw_d    = 1'b1;
      qacc_d     = {IN_W{1'b0}};
      zacc_d     = {OUT_W{1'b0}};
      // passes may run in any order: start with the loaded one
      if (cache_ok) begin
        pass_d     = cache_pass_q;
        pass0_d    = cache_pass_q;
        start_scan = 1'b1;
      end else begin
        pass_sel    = GPOS_0;
        pass0_d     = GPOS_0;
        start_gload = 1'b1;
        preload_d   = 1'b0;
      end
    end
    if (start_gload) begin
      pass_d     = pass_sel;
      gl_k_d     = GPOS_0;
      gl_dirty_d = 1'b0;
      gl_ng_d    = cfg_n_groups_i;
      cache_v_d  = 1'b0;
      ld_clear   = 1'b1;
      state_d    = S_GLOAD;
    end
    if (start_scan) begin
      srch_clr = 1'b1;
      if (cur_count == {CW{1'b0}}) begin
        state_d = S_DRAIN;
      end else begin
        issue = 1'b1;
      end
    end
    // Issue one row: scan position spos covers ranks spos - base%LANES .. + LANES - 1, so the
    // first and last rows are partial and a full unaligned ring visits its first row twice.
    if (issue) begin
      s_fl          = {SPW{1'b0}};
      s_fl[PW-1:0]  = cur_base & LMASK_P;
      s_lim         = {SPW{1'b0}};
      s_lim[CW-1:0] = cur_count;
      s_lim         = s_lim + s_fl;
      s_pos         = spos_q >> LW;
      s_row         = (cur_base >> LW) + s_pos[PW-1:0];
      ram_raddr     = row_addr(slot, s_row);
      iss_valid     = 1'b1;
      for (l = 0; l < LANES; l = l + 1) begin
        s_pos        = spos_q + l[SPW-1:0];
        iss_lanes[l] = (s_pos >= s_fl) && (s_pos < s_lim);
      end
      if (spos_q + LANES_S >= s_lim) begin
        spos_d  = {SPW{1'b0}};
        state_d = S_DRAIN;
      end else begin
        spos_d  = spos_q + LANES_S;
        state_d = S_SCAN;
      end
    end
    if (finish) begin
      done_d  = 1'b1;
      slot_we = 1'b1;
      state_d = S_IDLE;
    end
    if (grp_we_i) begin
      cache_v_d = 1'b0;
    end
    // the pass after pass_d, computed a cycle ahead of the vote that needs it
    pnext_d = pass_d + UNITS_G;
    if (pnext_d >= {{(GPW-8){1'b0}}, cfg_n_groups_i}) begin
      pnext_d = GPOS_0;
    end
    more_d = (pnext_d != pass0_d);
  end

  always @(posedge clk_i) begin
    if (rst_i) begin
      state_q   <= S_IDLE;
      done_q    <= 1'b0;
      cache_v_q <= 1'b0;
      preload_q <= 1'b0;
      gl_pend_q <= 1'b0;
      fg_pend_q <= 1'b0;
      zdraw_q   <= 1'b0;
      adraw_q   <= 1'b0;
      bdraw_q   <= 1'b0;
      spos_q    <= {SPW{1'b0}};
      status_q  <= ST_OK;
      evicted_q <= 1'b0;
    end else begin
      state_q   <= state_d;
      done_q    <= done_d;
      cache_v_q <= cache_v_d;
      preload_q <= preload_d;
      gl_pend_q <= gl_pend_d;
      fg_pend_q <= fg_pend_d;
      zdraw_q   <= zdraw_d;
      adraw_q   <= adraw_d;
      bdraw_q   <= bdraw_d;
      spos_q    <= spos_d;
      status_q  <= status_d;
      evicted_q <= evicted_d;
    end
  end

  always @(posedge clk_i) begin
    seed_q       <= seed_d;
    prng_q       <= prng_d;
    q_q          <= q_d;
    z_q          <= z_d;
    base_q       <= base_d;
    count_q      <= count_d;
    resx_q       <= resx_d;
    resy_q       <= resy_d;
    removed_q    <= removed_d;
    tieq_q       <= tieq_d;
    tiez_q       <= tiez_d;
    qacc_q       <= qacc_d;
    zacc_q       <= zacc_d;
    steps_q      <= steps_d;
    pass_q       <= pass_d;
    pass0_q      <= pass0_d;
    pnext_q      <= pnext_d;
    more_q       <= more_d;
    cache_pass_q <= cache_pass_d;
    cache_ng_q   <= cache_ng_d;
    gl_k_q       <= gl_k_d;
    gl_unit_q    <= gl_unit_d;
    gl_en_q      <= gl_en_d;
    gl_dirty_q   <= gl_dirty_d;
    gl_ng_q      <= gl_ng_d;
    fg_i_q       <= fg_i_d;
    fg_w_q       <= fg_w_d;
    fg_prank_q   <= fg_prank_d;
    rbank_q      <= rbank_d;
  end

  // ---------------------------------------------------------------- outputs
  reg [63:0] res_x, res_y, res_q, res_z;
  reg [31:0] res_count, res_removed;

  always @* begin : c_res
    res_x                   = 64'd0;
    res_x[IN_W-1:0]         = resx_q;
    res_y                   = 64'd0;
    res_y[OUT_W-1:0]        = resy_q;
    res_q                   = 64'd0;
    res_q[IN_W-1:0]         = q_q;
    res_z                   = 64'd0;
    res_z[OUT_W-1:0]        = z_q;
    res_count               = 32'd0;
    res_count[CW-1:0]       = count_q;
    res_removed             = 32'd0;
    res_removed[CW-1:0]     = removed_q;
  end

  assign cmd_ready_o   = (state_q == S_IDLE) && !preload;
  assign done_o        = done_q;
  assign status_o      = status_q;
  assign evicted_o     = evicted_q;
  assign res_x_o       = res_x;
  assign res_y_o       = res_y;
  assign res_q_o       = res_q;
  assign res_z_o       = res_z;
  assign res_prng_o    = prng_q;
  assign res_count_o   = res_count;
  assign res_removed_o = res_removed;

  // Operand bits above the configured widths are ignored by design.
  wire unused_inputs = ^{cmd_x_i, cmd_y_i, cmd_q_i, cmd_z_i, grp_mask_a_i, grp_mask_b_i,
                         grp_members_i};

endmodule

`default_nettype wire
