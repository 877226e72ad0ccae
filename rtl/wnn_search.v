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
//                 (one lane: the row's target bits)
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
  wire                      thr_big = |thr_i[15:DW]; // every distance is within the threshold

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
        assign d_ok_w[gu*LANES+gl] = r_lanes_q[gl] & uen_q[gu] & (thr_big | (distance <= thr_i[DW-1:0]));
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

  // ---------------------------------------------------------------- stage o, merge: minimum
  // Stage o carries each unit's row minimum; the merge keeps the running minimum and says whether
  // the row restarts the unit's nearest set (smaller) or adds to it (equal).
  reg                 o_v_q;
  reg [UNITS*DW-1:0]  o_min_q;
  reg [UNITS-1:0]     o_any_q;
  reg [UNITS-1:0]     found_q, found_d;   // some entry matched in this pass
  reg [UNITS*DW-1:0]  min_q, min_d;       // nearest distance
  reg [UNITS-1:0]     smaller;
  reg [UNITS-1:0]     equal;

  always @* begin : c_min
    integer u;
    u = 0;
    found_d = found_q;
    min_d   = min_q;
    for (u = 0; u < UNITS; u = u + 1) begin
      smaller[u] = o_any_q[u] & (~found_q[u] | (o_min_q[u*DW +: DW] < min_q[u*DW +: DW]));
      equal[u]   = o_any_q[u] & found_q[u] & (o_min_q[u*DW +: DW] == min_q[u*DW +: DW]);
    end
    if (clr_i) begin
      found_d = {UNITS{1'b0}};
    end else if (o_v_q) begin
      for (u = 0; u < UNITS; u = u + 1) begin
        if (smaller[u]) begin
          found_d[u]        = 1'b1;
          min_d[u*DW +: DW] = o_min_q[u*DW +: DW];
        end
      end
    end
  end

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
    found_q   <= found_d;
    min_q     <= min_d;
  end

  // ---------------------------------------------------------------- neurons: votes (§4.2, §4.3)
  // Neuron b < IN_W is Q neuron b, b >= IN_W is Z neuron b - IN_W; its target bit is entry bit b
  // (ex[b] for Q, ey[b - IN_W] for Z). Each has a vote margin = 2*ones - n over its owner unit's
  // nearest entries: the vote is its sign, and a zero margin (n = 0 included) is a tie.
  wire [EW-1:0]     own   = {zown_q, qown_q};
  wire [EW*UIW-1:0] owner = {zowner_q, qowner_q};
  wire [EW-1:0]     tie   = {tie_z_i, tie_q_i} & {EW{~tie_zero_i}};
  wire [EW-1:0]     vote;

  generate
    if (LANES == 1) begin : g_one_lane
      // A row is one entry, so whenever a neuron's owner restarts or adds, the row votes +1 or -1.
      // margin = c + (f ? +1 : -1): f is the target bit of the entry that set the minimum, c the sum
      // of the later equal entries' votes. A restart is then a clear of c (|c| < entries: CW bits
      // signed), and a unit that found nothing is a tie.
      reg [EW-1:0]    o_row_q;
      reg [EW-1:0]    f_q, f_d;
      reg [EW*CW-1:0] c_q, c_d;
      reg [EW-1:0]    vote_r;

      always @* begin : c_margin
        integer b;
        reg [UIW-1:0] ob;
        b   = 0;
        ob  = {UIW{1'b0}};
        f_d = f_q;
        c_d = c_q;
        for (b = 0; b < EW; b = b + 1) begin
          ob = owner[b*UIW +: UIW];
          if (clr_i) begin
            c_d[b*CW +: CW] = {CW{1'b0}};
          end else if (o_v_q && own[b] && smaller[ob]) begin
            c_d[b*CW +: CW] = {CW{1'b0}};
            f_d[b]          = o_row_q[b];
          end else if (o_v_q && own[b] && equal[ob]) begin
            c_d[b*CW +: CW] = c_q[b*CW +: CW] + (o_row_q[b] ? {{(CW-1){1'b0}}, 1'b1} : {CW{1'b1}});
          end
        end
      end

      always @(posedge clk_i) begin
        o_row_q <= m_row_q;
        f_q     <= f_d;
        c_q     <= c_d;
      end

      always @* begin : c_vote
        integer b;
        reg [CW-1:0] c;
        reg          hi_zero, hi_ones, positive, zero;
        b        = 0;
        c        = {CW{1'b0}};
        hi_zero  = 1'b0;
        hi_ones  = 1'b0;
        positive = 1'b0;
        zero     = 1'b0;
        for (b = 0; b < EW; b = b + 1) begin
          c        = c_q[b*CW +: CW];
          hi_zero  = (c[CW-1:1] == {(CW-1){1'b0}});
          hi_ones  = (c[CW-1:1] == {(CW-1){1'b1}});
          // f: margin c + 1 > 0 iff c >= 0, = 0 iff c = -1; !f: c - 1 > 0 iff c >= 2, = 0 iff c = 1
          positive = f_q[b] ? ~c[CW-1] : (~c[CW-1] & ~hi_zero);
          zero     = f_q[b] ? (hi_ones & c[0]) : (hi_zero & c[0]);
          vote_r[b] = (~found_q[owner[b*UIW +: UIW]] | zero) ? tie[b] : positive;
        end
      end

      assign vote = vote_r;

      wire unused_one_lane = ^m_at_q; // with one lane, a matching row is at its minimum
    end else begin : g_lanes
      // For neuron b, the row's entries at its owner's row minimum vote +1 (target bit set) or -1.
      reg  [EW*LANES-1:0]  at_sel;  // lanes at the row minimum of neuron b's owner
      wire [EW*(NW+1)-1:0] o_v_w;   // signed row vote per neuron, [-LANES, LANES]
      reg  [EW*(NW+1)-1:0] o_vote_q;
      reg  [EW*MGW-1:0]    m_q, m_d; // margins
      reg  [MGW-1:0]       add_v;
      reg  [EW-1:0]        vote_r;

      always @* begin : c_atsel
        integer u, b;
        u = 0;
        b = 0;
        at_sel = {(EW*LANES){1'b0}};
        for (b = 0; b < EW; b = b + 1) begin
          for (u = 0; u < UNITS; u = u + 1) begin
            if (owner[b*UIW +: UIW] == u[UIW-1:0]) begin
              at_sel[b*LANES +: LANES] = m_at_q[u*LANES +: LANES];
            end
          end
        end
      end

      for (gb = 0; gb < EW; gb = gb + 1) begin : g_vote
        wire [LANES-1:0] at  = at_sel[gb*LANES +: LANES];
        wire [LANES-1:0] tgt;
        wire [NW-1:0]    ones;
        wire [NW-1:0]    zeros;
        for (gl = 0; gl < LANES; gl = gl + 1) begin : g_t
          assign tgt[gl] = m_row_q[gl*EW + gb];
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
        assign o_v_w[gb*(NW+1) +: NW+1] = {1'b0, ones} - {1'b0, zeros};
      end

      always @* begin : c_margin
        integer b;
        reg [UIW-1:0] ob;
        b     = 0;
        ob    = {UIW{1'b0}};
        m_d   = m_q;
        add_v = {MGW{1'b0}};
        if (clr_i) begin
          m_d = {(EW*MGW){1'b0}};
        end else if (o_v_q) begin
          for (b = 0; b < EW; b = b + 1) begin
            ob          = owner[b*UIW +: UIW];
            add_v       = {MGW{o_vote_q[b*(NW+1) + NW]}}; // sign extension
            add_v[NW:0] = o_vote_q[b*(NW+1) +: NW+1];
            if (own[b] && smaller[ob]) begin
              m_d[b*MGW +: MGW] = add_v;
            end else if (own[b] && equal[ob]) begin
              m_d[b*MGW +: MGW] = m_q[b*MGW +: MGW] + add_v;
            end
          end
        end
      end

      always @(posedge clk_i) begin
        o_vote_q <= o_v_w;
        m_q      <= m_d;
      end

      always @* begin : c_vote
        integer b;
        b = 0;
        for (b = 0; b < EW; b = b + 1) begin
          vote_r[b] = (m_q[b*MGW +: MGW] == {MGW{1'b0}}) ? tie[b] : ~m_q[b*MGW + MGW - 1];
        end
      end

      assign vote = vote_r;
    end
  endgenerate

  assign busy_o   = r_v_q | d_v_q | m_v_q | o_v_q;
  assign vote_q_o = vote[IN_W-1:0];
  assign own_q_o  = qown_q;
  assign vote_z_o = vote[EW-1:IN_W];
  assign own_z_o  = zown_q;

endmodule

`default_nettype wire
