// SPDX-License-Identifier: MIT
// wnn_uart_soc.v - the board core: the accelerator (wnn_top) driven over a UART (wnn_uart_bridge).
//
// The bridge's 16-bit byte address space holds wnn_top at 0x0000-0x0FFF; an access above it is
// terminated with an error one clock after its strobe, as an undefined register is. The protocol
// is docs/protocol.md, the register map docs/regmap.md.
//
// busy_o follows the operation as the host sees it: set by an acknowledged write to CMD, cleared by
// an acknowledged read of STATUS with BUSY clear (wnn_top has no busy port; the driver polls
// STATUS after every command). link_o and error_o come from the bridge; irq_o from wnn_top.
`default_nettype none

module wnn_uart_soc #(
    parameter integer CLK_HZ = 12000000,
    BAUD = 115200,
    IN_W = 26,
    OUT_W = 10,
    LANES = 1,
    UNITS = 8,
    SLOTS = 4,
    DEPTH = 256,
    GROUPS = 64,
    READBACK = 1
) (
    input  wire clk_i,
    input  wire rst_i,
    input  wire uart_rx_i,
    output wire uart_tx_o,
    output wire busy_o,     /* an accelerator operation runs */
    output wire link_o,     /* a frame is being received or answered */
    output wire error_o,    /* sticky: a rejected frame or bus error since reset */
    output wire irq_o
);
  `include "wnn_regmap.vh"

  wire cyc, stb, we, stall, ack, err, top_stall, top_ack, top_err;
  wire [15:2] adr;
  wire [31:0] dat_w, dat_r;
  wire [3:0] sel;

  wnn_uart_bridge #(
      .CLK_HZ(CLK_HZ),
      .BAUD  (BAUD)
  ) u_bridge (
      .clk_i      (clk_i),
      .rst_i      (rst_i),
      .rx_i       (uart_rx_i),
      .tx_o       (uart_tx_o),
      .wbm_cyc_o  (cyc),
      .wbm_stb_o  (stb),
      .wbm_we_o   (we),
      .wbm_adr_o  (adr),
      .wbm_dat_o  (dat_w),
      .wbm_sel_o  (sel),
      .wbm_stall_i(stall),
      .wbm_ack_i  (ack),
      .wbm_err_i  (err),
      .wbm_dat_i  (dat_r),
      .link_o     (link_o),
      .error_o    (error_o)
  );

  wire mapped = (adr[15:12] == 4'd0);

  wnn_top #(
      .IN_W  (IN_W),
      .OUT_W (OUT_W),
      .LANES (LANES),
      .UNITS (UNITS),
      .SLOTS (SLOTS),
      .DEPTH (DEPTH),
      .GROUPS(GROUPS),
      .READBACK(READBACK)
  ) u_top (
      .clk_i     (clk_i),
      .rst_i     (rst_i),
      .wb_cyc_i  (cyc & mapped),
      .wb_stb_i  (stb & mapped),
      .wb_we_i   (we),
      .wb_adr_i  (adr[11:2]),
      .wb_dat_i  (dat_w),
      .wb_sel_i  (sel),
      .wb_stall_o(top_stall),
      .wb_ack_o  (top_ack),
      .wb_err_o  (top_err),
      .wb_dat_o  (dat_r),
      .irq_o     (irq_o)
  );

  reg unmapped_err_q, unmapped_err_d, busy_q, busy_d;
  wire [11:0] byte_adr = {adr[11:2], 2'b00};

  always @* begin
    unmapped_err_d = cyc & stb & ~mapped & ~unmapped_err_q;
    busy_d = busy_q;
    if (cyc & top_ack & mapped) begin
      if (we && byte_adr == WNN_REG_CMD) busy_d = 1'b1;
      if (!we && byte_adr == WNN_REG_STATUS) busy_d = dat_r[WNN_STATUS_BUSY_LSB];
    end
  end

  always @(posedge clk_i) begin
    if (rst_i) begin
      unmapped_err_q <= 1'b0;
      busy_q <= 1'b0;
    end else begin
      unmapped_err_q <= unmapped_err_d;
      busy_q <= busy_d;
    end
  end

  assign stall = mapped & top_stall;
  assign ack = top_ack;
  assign err = top_err | unmapped_err_q;
  assign busy_o = busy_q;
endmodule

`default_nettype wire
