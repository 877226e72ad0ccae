// SPDX-License-Identifier: MIT
// wnn_ulx3s_pll - ECP5 EHXPLLL that makes OUT_HZ from the ULX3S's 25 MHz oscillator, its dividers found at elaboration.
`default_nettype none

// The dividers are searched at elaboration (pll_dividers) for an exact OUT_HZ, with the limits
// Project Trellis's ecppll tool uses: feedback from CLKOP, so OUT = IN * CLKFB_DIV / CLKI_DIV and
// VCO = OUT * CLKOP_DIV; phase detector >= 3.125 MHz, VCO 400..800 MHz, CLKI_DIV 1..128,
// CLKFB_DIV 1..80, CLKOP_DIV 1..128. The smallest CLKI_DIV wins (the fastest phase detector), and
// CLKOP_DIV puts the VCO nearest 600 MHz, as ecppll does (`yowasp-ecppll -i 25 -o 50` gives the
// same dividers). A frequency without an exact setting stops elaboration with an error naming it.
// CLKOP's phase does not matter: one clock domain, nothing aligned to the oscillator. nextpnr
// derives the output clock's constraint from the input's (constraints/ulx3s.lpf) and these
// dividers, so timing is checked at the frequency the board runs. The analogue settings (the
// attributes) are ecppll's.
module wnn_ulx3s_pll #(
  parameter integer IN_HZ  = 25000000,
  parameter integer OUT_HZ = 50000000
) (
  input  wire clk_i,    // IN_HZ
  output wire clk_o,    // OUT_HZ
  output wire locked_o  // asynchronous: the PLL is locked
);

  // {CLKI_DIV, CLKFB_DIV, CLKOP_DIV}, 8 bits each; 0 when no exact setting exists.
  function integer pll_dividers;
    input integer in_khz;
    input integer out_khz;
    integer i, fb, op, found;
    begin
      found = 0;
      for (i = 1; i <= 128; i = i + 1) begin
        for (fb = 1; fb <= 80; fb = fb + 1) begin
          if (found == 0 && in_khz * fb == out_khz * i && in_khz >= 3125 * i) begin
            op = (600000 + out_khz / 2) / out_khz;
            if (out_khz * op < 400000) begin
              op = op + 1;
            end
            if (out_khz * op > 800000) begin
              op = op - 1;
            end
            if (op >= 1 && op <= 128 && out_khz * op >= 400000 && out_khz * op <= 800000) begin
              found = i * 65536 + fb * 256 + op;
            end
          end
        end
      end
      pll_dividers = found;
    end
  endfunction

  localparam integer DIVS      = ((IN_HZ % 1000) == 0 && (OUT_HZ % 1000) == 0) ?
                                 pll_dividers(IN_HZ / 1000, OUT_HZ / 1000) : 0;
  localparam integer CLKI_DIV  = (DIVS / 65536) % 256;
  localparam integer CLKFB_DIV = (DIVS / 256) % 256;
  localparam integer CLKOP_DIV = DIVS % 256;

  generate
    if (DIVS == 0) begin : g_no_setting
      // Elaboration stops here: "module ... is not part of the design".
      wnn_ulx3s_pll_has_no_exact_setting_for_OUT_HZ u_error ();
    end
  endgenerate

  (* ICP_CURRENT = "12", LPF_RESISTOR = "8", MFG_ENABLE_FILTEROPAMP = "1", MFG_GMCREF_SEL = "2" *)
  EHXPLLL #(
    .PLLRST_ENA      ("DISABLED"),
    .INTFB_WAKE      ("DISABLED"),
    .STDBY_ENABLE    ("DISABLED"),
    .DPHASE_SOURCE   ("DISABLED"),
    .OUTDIVIDER_MUXA ("DIVA"),
    .OUTDIVIDER_MUXB ("DIVB"),
    .OUTDIVIDER_MUXC ("DIVC"),
    .OUTDIVIDER_MUXD ("DIVD"),
    .CLKI_DIV        (CLKI_DIV),
    .CLKOP_ENABLE    ("ENABLED"),
    .CLKOP_DIV       (CLKOP_DIV),
    .CLKOP_CPHASE    ((CLKOP_DIV - 1) / 2),
    .CLKOP_FPHASE    (0),
    .FEEDBK_PATH     ("CLKOP"),
    .CLKFB_DIV       (CLKFB_DIV)
  ) u_pll (
    .RST          (1'b0),
    .STDBY        (1'b0),
    .CLKI         (clk_i),
    .CLKOP        (clk_o),
    .CLKFB        (clk_o),
    .PHASESEL0    (1'b0),
    .PHASESEL1    (1'b0),
    .PHASEDIR     (1'b1),
    .PHASESTEP    (1'b1),
    .PHASELOADREG (1'b1),
    .PLLWAKESYNC  (1'b0),
    .ENCLKOP      (1'b0),
    .LOCK         (locked_o)
  );

endmodule

`default_nettype wire
