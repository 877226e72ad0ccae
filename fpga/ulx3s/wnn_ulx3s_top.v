// SPDX-License-Identifier: MIT
// wnn_ulx3s_top - ULX3S (ECP5 LFE5U-85F-6 CABGA381) board top: PLL, reset, UART pins and status LEDs around wnn_uart_soc.
`default_nettype none

// Pins (constraints/ulx3s.lpf; sites and names from the board's reference constraints,
// github.com/emard/ulx3s doc/constraints/ulx3s_v20.lpf, for ULX3S v2.x and v3.0.x):
//   clk_25mhz_i   G2  clk_25mhz: 25 MHz oscillator
//   btn_pwr_n_i   D6  btn[0], BTN_PWRn: low when pressed: reset
//   ftdi_txd_i    M1  ftdi_txd: the FT231X's TXD, into the FPGA (/dev/ttyUSB0 on the host)
//   ftdi_rxd_o    L4  ftdi_rxd: to the FT231X's RXD
//   led_o[7:0]    B2 C2 C1 D2 D1 E2 E1 H3  led[0..7], active high
//   wifi_gpio0_o  L2  wifi_gpio0: held high so that the ESP32, if its firmware watches GPIO0,
//                     does not reset the board (the ULX3S examples do the same)
// LEDs: 0 heartbeat, 1 busy, 2 link, 3 error, 4 irq, 5 PLL locked, 6 reset, 7 off.
//
// Clock: CLK_HZ, from the 25 MHz oscillator through wnn_ulx3s_pll, or the oscillator itself when
// CLK_HZ is 25 MHz; the core, the UART bridge and the cycle counters all run on it (docs/deploy.md
// §5: the frequency and its timing margin).
module wnn_ulx3s_top #(
  parameter integer CLK_HZ = 25000000, // 25 MHz: the oscillator; otherwise the PLL's exact output
  parameter integer BAUD   = 115200,
  parameter integer IN_W   = 26,
  parameter integer OUT_W  = 10,
  parameter integer LANES  = 8,
  parameter integer UNITS  = 8,
  parameter integer SLOTS  = 16,
  parameter integer DEPTH  = 1024,
  parameter integer GROUPS = 64,
  parameter integer READBACK = 1
) (
  input  wire       clk_25mhz_i,
  input  wire       btn_pwr_n_i,
  input  wire       ftdi_txd_i,
  output wire       ftdi_rxd_o,
  output wire [7:0] led_o,
  output wire       wifi_gpio0_o
);

  localparam integer LOG2_HZ = $clog2(CLK_HZ); // 2^LOG2_HZ clocks: 1 to 2 s

  wire clk, locked, rst;
  wire busy, link, error, irq;
  wire [4:0] led; // {irq, error, link, busy, heartbeat}

  generate
    if (CLK_HZ == 25000000) begin : g_osc
      assign clk    = clk_25mhz_i;
      assign locked = 1'b1;
    end else begin : g_pll
      wnn_ulx3s_pll #(
        .IN_HZ  (25000000),
        .OUT_HZ (CLK_HZ)
      ) u_pll (
        .clk_i    (clk_25mhz_i),
        .clk_o    (clk),
        .locked_o (locked)
      );
    end
  endgenerate

  wnn_board_reset #(
    .HOLD_LOG2 (LOG2_HZ - 8) // 5 to 10 ms
  ) u_reset (
    .clk_i  (clk),
    .arst_i (!btn_pwr_n_i || !locked),
    .rst_o  (rst)
  );

  wnn_uart_soc #(
    .CLK_HZ (CLK_HZ),
    .BAUD   (BAUD),
    .IN_W   (IN_W),
    .OUT_W  (OUT_W),
    .LANES  (LANES),
    .UNITS  (UNITS),
    .SLOTS  (SLOTS),
    .DEPTH  (DEPTH),
    .GROUPS (GROUPS),
    .READBACK (READBACK)
  ) u_soc (
    .clk_i     (clk),
    .rst_i     (rst),
    .uart_rx_i (ftdi_txd_i),
    .uart_tx_o (ftdi_rxd_o),
    .busy_o    (busy),
    .link_o    (link),
    .error_o   (error),
    .irq_o     (irq)
  );

  wnn_board_leds #(
    .HEART_LOG2   (LOG2_HZ - 1), // 0.7 to 1.3 s on, as long off
    .STRETCH_LOG2 (LOG2_HZ - 5)  // 2..3 x 42 to 84 ms
  ) u_leds (
    .clk_i   (clk),
    .rst_i   (rst),
    .busy_i  (busy),
    .link_i  (link),
    .error_i (error),
    .irq_i   (irq),
    .led_o   (led)
  );

  assign led_o        = {1'b0, rst, locked, led};
  assign wifi_gpio0_o = 1'b1;

endmodule

`default_nettype wire
