// SPDX-License-Identifier: MIT
// wnn_search - search units: distances, nearest entries and vote counters over a stream of entry rows (docs/algorithm.md §4.2, §4.3).
`default_nettype none

// UNITS units each hold one search group (its masks). wnn_core streams the stored entries past
// them one row (LANES entries) per clock; every unit keeps the running nearest distance. The vote
// counters live in one pool indexed by neuron (IN_W for Q, OUT_W for Z): neurons of one layer
// belong to exactly one group (§3), so each counter has at most one owner unit per pass, recorded
// when the group is loaded. That is the per-unit counter array of §4.2 with the never-used
// counters left out. Each counter holds margin = 2*ones[b] - n (signed): §4.3's vote is its sign.
//
// Pipeline (one row per clock, 4 stages after the RAM's registered read data):
//   issue (core)  RAM read address, iss_valid_i / iss_lanes_i
//   r             RAM data (row_i), lane valid bits
//   d             per unit and lane: distance = popcount(diff & mask), match = valid & d <= threshold
//   m             per unit: row minimum over matching lanes, lanes at that minimum
//   o             per neuron: the owner's entries at the row minimum, +1 per target bit 1, -1 per 0
//   merge         running minimum and margins: restart on a smaller distance, add on an equal one
// busy_o is high while any row is in flight; the vote outputs are valid when it is low.
module wnn_search #(
  parameter integer IN_W  = 26, // input / Q width, 1..64
  parameter integer OUT_W = 10, // Z width, 1..64
  parameter integer LANES = 1,  // entries per row
  parameter integer UNITS = 8,  // search units
  parameter integer CW    = 9   // $clog2(entries per slot + 1); the vote margins get CW + 1 bits
) (
  input  wire clk_i,
  input  wire rst_i,
  // group loading (between scans)
  input  wire                                         ld_clear_i,   // forget every neuron's owner
  input  wire                                         ld_valid_i,   // load one unit
  input  wire [((UNITS > 1) ? $clog2(UNITS) : 1)-1:0] ld_unit_i,
  input  wire                                         ld_en_i,      // 0: the unit holds no group
  input  wire                                         ld_layer_i,   // 0 = Q, 1 = Z
  input  wire [IN_W-1:0]                              ld_mask_a_i,
  input  wire [((IN_W > OUT_W) ? IN_W : OUT_W)-1:0]   ld_mask_b_i,
  input  wire [((IN_W > OUT_W) ? IN_W : OUT_W)-1:0]   ld_members_i,
  // scan
  input  wire                             clr_i,       // start of a pass: no entry seen yet
  input  wire                             iss_valid_i, // a row read was issued this cycle
  input  wire [LANES-1:0]                 iss_lanes_i, // its lanes that hold stored entries
  input  wire [LANES*(IN_W+OUT_W)-1:0]    row_i,       // RAM data, the cycle after the issue
  input  wire [IN_W-1:0]                  x_i,         // current parts (static during a scan)
  input  wire [IN_W-1:0]                  q_i,
  input  wire [OUT_W-1:0]                 z_i,
  input  wire [15:0]                      thr_i,       // largest matching distance (§5)
  // vote (§4.3)
  input  wire [IN_W-1:0]                  tie_q_i,
  input  wire [OUT_W-1:0]                 tie_z_i,
  input  wire                             tie_zero_i,
  output wire                             busy_o,
  output wire [IN_W-1:0]                  vote_q_o,    // voted Q bits (valid where own_q_o)
  output wire [IN_W-1:0]                  own_q_o,     // Q neurons decided by the loaded groups
  output wire [OUT_W-1:0]                 vote_z_o,
  output wire [OUT_W-1:0]                 own_z_o
);

  localparam integer UIW = (UNITS > 1) ? $clog2(UNITS) : 1;
  localparam integer EW  = IN_W + OUT_W;      // entry: {ey, ex}
  localparam integer MKW = 2 * IN_W + OUT_W;  // unit mask over {z^ey, q^ex, x^ex}
  localparam integer DW  = $clog2(MKW + 1);   // distance bits
  localparam integer NW  = $clog2(LANES + 1); // per-row count bits
  localparam integer MGW = CW + 1;            // signed vote margin, |margin| <= entries

  genvar gl, gu, gb;

  // ---------------------------------------------------------------- units and neuron owners
  reg [UNITS*MKW-1:0] umask_q, umask_d;
  reg [UNITS-1:0]     uen_q, uen_d;
  reg [IN_W-1:0]      qown_q, qown_d;      // Q neuron b is decided by a loaded group
  reg [IN_W*UIW-1:0]  qowner_q, qowner_d;  // ... by that unit
  reg [OUT_W-1:0]     zown_q, zown_d;
  reg [OUT_W*UIW-1:0] zowner_q, zowner_d;
  reg [MKW-1:0]       ld_mask;

  // A Q group compares (x, q) with (ex, ex); a Z group (q, z) with (ex, ey) (§4.2): in the
  // concatenated difference {z^ey, q^ex, x^ex} both are one mask.
  always @* begin : c_ldmask
    ld_mask = {MKW{1'b0}};
    if (ld_layer_i) begin
      ld_mask[IN_W +: IN_W]    = ld_mask_a_i;
      ld_mask[2*IN_W +: OUT_W] = ld_mask_b_i[OUT_W-1:0];
    end else begin
      ld_mask[0 +: IN_W]       = ld_mask_a_i;
      ld_mask[IN_W +: IN_W]    = ld_mask_b_i[IN_W-1:0];
    end
  end

  always @* begin : c_units
    integer u, b;
    u = 0;
    b = 0;
    umask_d  = umask_q;
    uen_d    = uen_q;
    qown_d   = qown_q;
    qowner_d = qowner_q;
    zown_d   = zown_q;
    zowner_d = zowner_q;
    if (ld_clear_i) begin
      qown_d = {IN_W{1'b0}};
      zown_d = {OUT_W{1'b0}};
    end
    if (ld_valid_i) begin
      for (u = 0; u < UNITS; u = u + 1) begin
        if (ld_unit_i == u[UIW-1:0]) begin
          umask_d[u*MKW +: MKW] = ld_mask;
          uen_d[u]              = ld_en_i;
        end
      end
      for (b = 0; b < IN_W; b = b + 1) begin
        if (ld_en_i && !ld_layer_i && ld_members_i[b]) begin
          qown_d[b]              = 1'b1;
          qowner_d[b*UIW +: UIW] = ld_unit_i;
        end
      end
      for (b = 0; b < OUT_W; b = b + 1) begin
        if (ld_en_i && ld_layer_i && ld_members_i[b]) begin
          zown_d[b]              = 1'b1;
          zowner_d[b*UIW +: UIW] = ld_unit_i;
        end
      end
    end
  end

  always @(posedge clk_i) begin
    umask_q  <= umask_d;
    uen_q    <= uen_d;
    qown_q   <= qown_d;
    qowner_q <= qowner_d;
    zown_q   <= zown_d;
    zowner_q <= zowner_d;
  end

  // ---------------------------------------------------------------- stage r: RAM data arrives
  reg             r_v_q;
  reg [LANES-1:0] r_lanes_q;

  // ---------------------------------------------------------------- stage d: distances
  wire [UNITS*LANES*DW-1:0] d_dist_w;
  wire [UNITS*LANES-1:0]    d_ok_w;

  generate
    for (gl = 0; gl < LANES; gl = gl + 1) begin : g_lane
      wire [IN_W-1:0]  ex   = row_i[gl*EW +: IN_W];
      wire [OUT_W-1:0] ey   = row_i[gl*EW + IN_W +: OUT_W];
      wire [MKW-1:0]   diff = {z_i ^ ey, q_i ^ ex, x_i ^ ex};
      for (gu = 0; gu < UNITS; gu = gu + 1) begin : g_unit
        wire [DW-1:0] distance;
        wnn_popcount #(
          .W  (MKW),
          .OW (DW)
        ) u_dist (
          .bits_i  (diff & umask_q[gu*MKW +: MKW]),
          .count_o (distance)
        );
        assign d_dist_w[(gu*LANES+gl)*DW +: DW] = distance;
        assign d_ok_w[gu*LANES+gl] = r_lanes_q[gl] & uen_q[gu] & ({{(16-DW){1'b0}}, distance} <= thr_i);
      end
    end
  endgenerate

  reg                      d_v_q;
  reg [UNITS*LANES*DW-1:0] d_dist_q;
  reg [UNITS*LANES-1:0]    d_ok_q;
  reg [LANES*EW-1:0]       d_row_q;

  // ---------------------------------------------------------------- stage m: row minimum
  wire [UNITS*DW-1:0]    m_min_w;
  wire [UNITS-1:0]       m_any_w;
  wire [UNITS*LANES-1:0] m_at_w;

  generate
    for (gu = 0; gu < UNITS; gu = gu + 1) begin : g_min
      wire [LANES*(DW+1)-1:0] keys; // {no match, distance}: a non-matching lane never wins
      wire [DW:0]             min_key;
      for (gl = 0; gl < LANES; gl = gl + 1) begin : g_key
        assign keys[gl*(DW+1) +: DW+1] = {~d_ok_q[gu*LANES+gl], d_dist_q[(gu*LANES+gl)*DW +: DW]};
        assign m_at_w[gu*LANES+gl] = d_ok_q[gu*LANES+gl] &
                                     (d_dist_q[(gu*LANES+gl)*DW +: DW] == min_key[DW-1:0]);
      end
      wnn_min_tree #(
        .N  (LANES),
        .KW (DW + 1)
      ) u_min (
        .keys_i (keys),
        .min_o  (min_key)
      );
      assign m_min_w[gu*DW +: DW] = min_key[DW-1:0];
      assign m_any_w[gu]          = ~min_key[DW];
    end
  endgenerate

  reg                      m_v_q;
  reg [UNITS*DW-1:0]       m_min_q;
  reg [UNITS-1:0]          m_any_q;
  reg [UNITS*LANES-1:0]    m_at_q;
  reg [LANES*EW-1:0]       m_row_q;

  // ---------------------------------------------------------------- stage o: row votes
  // For neuron b, the row's entries at its owner's row minimum vote +1 (target bit set) or -1.
  reg  [IN_W*LANES-1:0]   qat_sel; // lanes at the row minimum of Q neuron b's owner
  reg  [OUT_W*LANES-1:0]  zat_sel;
  wire [IN_W*(NW+1)-1:0]  o_vq_w;  // signed row vote per neuron, [-LANES, LANES]
  wire [OUT_W*(NW+1)-1:0] o_vz_w;

  always @* begin : c_atsel
    integer u, b;
    u = 0;
    b = 0;
    qat_sel = {(IN_W*LANES){1'b0}};
    zat_sel = {(OUT_W*LANES){1'b0}};
    for (b = 0; b < IN_W; b = b + 1) begin
      for (u = 0; u < UNITS; u = u + 1) begin
        if (qowner_q[b*UIW +: UIW] == u[UIW-1:0]) begin
          qat_sel[b*LANES +: LANES] = m_at_q[u*LANES +: LANES];
        end
      end
    end
    for (b = 0; b < OUT_W; b = b + 1) begin
      for (u = 0; u < UNITS; u = u + 1) begin
        if (zowner_q[b*UIW +: UIW] == u[UIW-1:0]) begin
          zat_sel[b*LANES +: LANES] = m_at_q[u*LANES +: LANES];
        end
      end
    end
  end

  generate
    for (gb = 0; gb < IN_W + OUT_W; gb = gb + 1) begin : g_vote
      wire [LANES-1:0] at;  // lanes at the owner's minimum
      wire [LANES-1:0] tgt; // their target bit: ex[b] for Q (§4.2), ey[b] for Z
      wire [NW-1:0]    ones;
      wire [NW-1:0]    zeros;
      for (gl = 0; gl < LANES; gl = gl + 1) begin : g_t
        assign tgt[gl] = m_row_q[gl*EW + gb];
      end
      if (gb < IN_W) begin : g_q
        assign at = qat_sel[gb*LANES +: LANES];
      end else begin : g_z
        assign at = zat_sel[(gb-IN_W)*LANES +: LANES];
      end
      wnn_popcount #(
        .W  (LANES),
        .OW (NW)
      ) u_ones (
        .bits_i  (at & tgt),
        .count_o (ones)
      );
      wnn_popcount #(
        .W  (LANES),
        .OW (NW)
      ) u_zeros (
        .bits_i  (at & ~tgt),
        .count_o (zeros)
      );
      if (gb < IN_W) begin : g_qv
        assign o_vq_w[gb*(NW+1) +: NW+1] = {1'b0, ones} - {1'b0, zeros};
      end else begin : g_zv
        assign o_vz_w[(gb-IN_W)*(NW+1) +: NW+1] = {1'b0, ones} - {1'b0, zeros};
      end
    end
  endgenerate

  reg                     o_v_q;
  reg [UNITS*DW-1:0]      o_min_q;
  reg [UNITS-1:0]         o_any_q;
  reg [IN_W*(NW+1)-1:0]   o_vq_q;
  reg [OUT_W*(NW+1)-1:0]  o_vz_q;

  // ---------------------------------------------------------------- merge: running results
  // margin[b] = 2*ones[b] - n of §4.2, kept signed: the vote (§4.3) is its sign, and ties
  // (including n = 0) are margin 0, so n itself is never needed.
  reg [UNITS-1:0]     found_q, found_d;   // some entry matched in this pass
  reg [UNITS*DW-1:0]  min_q, min_d;       // nearest distance
  reg [IN_W*MGW-1:0]  mq_q, mq_d;         // margins of the Q neurons
  reg [OUT_W*MGW-1:0] mz_q, mz_d;         // margins of the Z neurons
  reg [UNITS-1:0]     smaller;            // the row has a nearer entry: restart the votes
  reg [UNITS-1:0]     equal;              // the row has entries at the nearest distance: add
  reg [MGW-1:0]       add_v;

  always @* begin : c_merge
    integer u, b;
    u = 0;
    b = 0;
    found_d = found_q;
    min_d   = min_q;
    mq_d    = mq_q;
    mz_d    = mz_q;
    add_v   = {MGW{1'b0}};
    for (u = 0; u < UNITS; u = u + 1) begin
      smaller[u] = o_any_q[u] & (~found_q[u] | (o_min_q[u*DW +: DW] < min_q[u*DW +: DW]));
      equal[u]   = o_any_q[u] & found_q[u] & (o_min_q[u*DW +: DW] == min_q[u*DW +: DW]);
    end
    if (clr_i) begin
      found_d = {UNITS{1'b0}};
      mq_d    = {(IN_W*MGW){1'b0}};
      mz_d    = {(OUT_W*MGW){1'b0}};
    end else if (o_v_q) begin
      for (u = 0; u < UNITS; u = u + 1) begin
        if (smaller[u]) begin
          found_d[u]        = 1'b1;
          min_d[u*DW +: DW] = o_min_q[u*DW +: DW];
        end
      end
      for (b = 0; b < IN_W; b = b + 1) begin
        add_v          = {MGW{o_vq_q[b*(NW+1) + NW]}}; // sign extension
        add_v[NW:0]    = o_vq_q[b*(NW+1) +: NW+1];
        if (qown_q[b] && smaller[qowner_q[b*UIW +: UIW]]) begin
          mq_d[b*MGW +: MGW] = add_v;
        end else if (qown_q[b] && equal[qowner_q[b*UIW +: UIW]]) begin
          mq_d[b*MGW +: MGW] = mq_q[b*MGW +: MGW] + add_v;
        end
      end
      for (b = 0; b < OUT_W; b = b + 1) begin
        add_v          = {MGW{o_vz_q[b*(NW+1) + NW]}};
        add_v[NW:0]    = o_vz_q[b*(NW+1) +: NW+1];
        if (zown_q[b] && smaller[zowner_q[b*UIW +: UIW]]) begin
          mz_d[b*MGW +: MGW] = add_v;
        end else if (zown_q[b] && equal[zowner_q[b*UIW +: UIW]]) begin
          mz_d[b*MGW +: MGW] = mz_q[b*MGW +: MGW] + add_v;
        end
      end
    end
  end

  // ---------------------------------------------------------------- registers
  always @(posedge clk_i) begin
    if (rst_i) begin
      r_v_q <= 1'b0;
      d_v_q <= 1'b0;
      m_v_q <= 1'b0;
      o_v_q <= 1'b0;
    end else begin
      r_v_q <= iss_valid_i;
      d_v_q <= r_v_q;
      m_v_q <= d_v_q;
      o_v_q <= m_v_q;
    end
  end

  always @(posedge clk_i) begin
    r_lanes_q <= iss_lanes_i;
    d_dist_q  <= d_dist_w;
    d_ok_q    <= d_ok_w;
    d_row_q   <= row_i;
    m_min_q   <= m_min_w;
    m_any_q   <= m_any_w;
    m_at_q    <= m_at_w;
    m_row_q   <= d_row_q;
    o_min_q   <= m_min_q;
    o_any_q   <= m_any_q;
    o_vq_q    <= o_vq_w;
    o_vz_q    <= o_vz_w;
    found_q   <= found_d;
    min_q     <= min_d;
    mq_q      <= mq_d;
    mz_q      <= mz_d;
  end

  // ---------------------------------------------------------------- vote (§4.3)
  reg [IN_W-1:0]  vote_q;
  reg [OUT_W-1:0] vote_z;

  always @* begin : c_vote
    integer b;
    b = 0;
    for (b = 0; b < IN_W; b = b + 1) begin
      vote_q[b] = (mq_q[b*MGW +: MGW] == {MGW{1'b0}}) ? (~tie_zero_i & tie_q_i[b])
                                                       : ~mq_q[b*MGW + MGW - 1];
    end
    for (b = 0; b < OUT_W; b = b + 1) begin
      vote_z[b] = (mz_q[b*MGW +: MGW] == {MGW{1'b0}}) ? (~tie_zero_i & tie_z_i[b])
                                                       : ~mz_q[b*MGW + MGW - 1];
    end
  end

  assign busy_o   = r_v_q | d_v_q | m_v_q | o_v_q;
  assign vote_q_o = vote_q;
  assign own_q_o  = qown_q;
  assign vote_z_o = vote_z;
  assign own_z_o  = zown_q;

endmodule

`default_nettype wire
