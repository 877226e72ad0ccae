// SPDX-License-Identifier: MIT
// wnn_icebreaker_top - iCEBreaker (iCE40 UP5K-SG48) board top: clock, reset, UART pins and status LEDs around wnn_uart_soc.
`default_nettype none

// Pins (constraints/icebreaker.pcf; names after the board's reference pin file,
// github.com/YosysHQ/icestorm examples/icebreaker/icebreaker.pcf, and the iCEBreaker v1.0 schematic):
//   clk_12mhz_i   35  CLK: 12 MHz oscillator
//   btn_n_i       10  BTN_N: user button, low when pressed: reset
//   uart_rx_i      6  RX: FTDI FT2232H channel B TXD, into the FPGA (/dev/ttyUSB1 on the host)
//   uart_tx_o      9  TX: to FTDI channel B RXD
//   ledr_n_o      11  LEDR_N: red LED, active low: error
//   ledg_n_o      37  LEDG_N: green LED, active low: heartbeat
//   pmod2_led_o  27 25 21 23 26  LED1..LED5 of the iCEBreaker PMOD2 button/LED board (active high):
//                 LED1 busy, LED2 link, LED3 error, LED4 irq, LED5 heartbeat. Without that board
//                 the pins drive nothing.
//
// Clock: the 12 MHz oscillator drives the design directly, without a PLL (docs/deploy.md §5:
// the host link, not the clock, bounds throughput on this board, and 12 MHz divides exactly into
// 1 and 3 Mbaud).
module wnn_icebreaker_top #(
  parameter integer BAUD   = 115200,
  parameter integer IN_W   = 26,
  parameter integer OUT_W  = 10,
  parameter integer LANES  = 1,
  parameter integer UNITS  = 1,
  parameter integer SLOTS  = 1,
  parameter integer DEPTH  = 256,
  parameter integer GROUPS = 64,
  parameter integer READBACK = 0  // the operand registers read 0: ~300 logic cells saved
) (
  input  wire       clk_12mhz_i,
  input  wire       btn_n_i,
  input  wire       uart_rx_i,
  output wire       uart_tx_o,
  output wire       ledr_n_o,
  output wire       ledg_n_o,
  output wire [5:1] pmod2_led_o
);

  localparam integer CLK_HZ = 12000000;
  localparam integer LOG2_HZ = $clog2(CLK_HZ); // 2^LOG2_HZ clocks: 1.4 s

  wire clk = clk_12mhz_i;
  wire rst;
  wire busy, link, error, irq;
  wire [4:0] led; // {irq, error, link, busy, heartbeat}

  wnn_board_reset #(
    .HOLD_LOG2 (LOG2_HZ - 8) // 5.5 ms
  ) u_reset (
    .clk_i  (clk),
    .arst_i (!btn_n_i),
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
    .uart_rx_i (uart_rx_i),
    .uart_tx_o (uart_tx_o),
    .busy_o    (busy),
    .link_o    (link),
    .error_o   (error),
    .irq_o     (irq)
  );

  wnn_board_leds #(
    .HEART_LOG2   (LOG2_HZ - 1), // 0.7 s on, 0.7 s off
    .STRETCH_LOG2 (LOG2_HZ - 5)  // 2..3 x 44 ms
  ) u_leds (
    .clk_i   (clk),
    .rst_i   (rst),
    .busy_i  (busy),
    .link_i  (link),
    .error_i (error),
    .irq_i   (irq),
    .led_o   (led)
  );

  assign ledg_n_o    = !led[0];
  assign ledr_n_o    = !led[3];
  assign pmod2_led_o = {led[0], led[4], led[3], led[2], led[1]};

endmodule

`default_nettype wire
