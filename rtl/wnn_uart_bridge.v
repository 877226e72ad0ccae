// SPDX-License-Identifier: MIT
// wnn_uart_bridge.v - UART-to-Wishbone master speaking the framed protocol of docs/protocol.md.
//
// A request frame (start byte 0xA5, SEQ, CMD, LEN, ADDR, LEN data words for a write, CRC-16/CCITT)
// is received whole into a buffer and checked before anything happens on the bus; every request
// whose header can be read is answered by one response frame (0x5A, SEQ, STATUS, COUNT, read data,
// CRC). A frame with a bad CRC (or a byte with a framing error), an unknown CMD bit, a misaligned
// address or a LEN outside 1..MAX_WORDS, or one whose next byte did not come within TIMEOUT_US
// once its SEQ was in, is answered with that status and never executed. A good frame runs LEN
// Wishbone B4 pipelined accesses, one at a time, at consecutive word addresses (CMD.FIXED: one);
// an access terminated by wb_err_i, or not acknowledged within WB_TIMEOUT clocks, ends the burst
// with status BUS_ERROR and COUNT = the words done.
//
// Idempotency: the bridge keeps SEQ, the received CRC and the response of the last executed frame.
// A frame equal to it (same SEQ and CRC, CMD.NEW clear) is not executed again; the kept response
// is sent again, so a host that lost a response can repeat its request safely.
//
// Resync: bytes outside a frame are skipped until a start byte; a frame is as long as its LEN says;
// after a timeout the receiver is back to skipping (a timeout before SEQ: no response). The
// receiver keeps listening while a response is sent; bytes that arrive while a checked frame waits
// for the transmitter or runs on the bus are dropped (a host sends its next request only after the
// response).
//
// Buffer: 2 x 4 x MAX_WORDS bytes, one plain array (block RAM): request data, then response data.
`default_nettype none

module wnn_uart_bridge #(
    parameter integer CLK_HZ = 12000000,  // clock frequency, Hz
    parameter integer BAUD = 115200,  // bits per second (CLK_HZ / BAUD >= 4)
    parameter integer MAX_WORDS = 64,  // longest burst, a power of two 2..128
    parameter integer TIMEOUT_US = 2000,  // longest pause between two bytes of a frame
    parameter integer WB_TIMEOUT = 1024  // clocks an access may wait for its acknowledge
) (
    input wire clk_i,
    input wire rst_i,

    input  wire rx_i,
    output wire tx_o,

    output wire        wbm_cyc_o,
    output wire        wbm_stb_o,
    output wire        wbm_we_o,
    output wire [15:2] wbm_adr_o,
    output wire [31:0] wbm_dat_o,
    output wire [ 3:0] wbm_sel_o,
    input  wire        wbm_stall_i,
    input  wire        wbm_ack_i,
    input  wire        wbm_err_i,
    input  wire [31:0] wbm_dat_i,

    output wire link_o,  // a frame is being received, checked, executed or answered
    output wire error_o  // sticky: a frame was rejected or dropped, or an access failed
);
  localparam integer WW = $clog2(MAX_WORDS);  // word index bits
  localparam integer AW = WW + 3;  // buffer byte address: region, word, byte
  localparam integer TIMEOUT_CLKS = CLK_HZ / 1000 * TIMEOUT_US / 1000;
  localparam integer TW = $clog2(TIMEOUT_CLKS + 1);
  localparam integer BW = $clog2(WB_TIMEOUT + 1);
  localparam [31:0] TIMEOUT_LAST_32 = TIMEOUT_CLKS - 1;
  localparam [31:0] WB_LAST_32 = WB_TIMEOUT - 1;
  localparam [31:0] MAX_WORDS_32 = MAX_WORDS;
  localparam [TW-1:0] TIMEOUT_LAST = TIMEOUT_LAST_32[TW-1:0];
  localparam [BW-1:0] WB_LAST = WB_LAST_32[BW-1:0];
  localparam [8:0] MAX_LEN = MAX_WORDS_32[8:0];
  localparam [9:0] MAX_BYTES = {MAX_WORDS_32[7:0], 2'b00};

  localparam [7:0] SOF_REQ = 8'hA5, SOF_RSP = 8'h5A, EOF = 8'h7E;  // EOF: after the CRC
  localparam integer CMD_WRITE = 0, CMD_FIXED = 1, CMD_NEW = 2;
  localparam [3:0] ST_OK = 4'd0, ST_CRC = 4'd1, ST_BUS = 4'd2, ST_LENGTH = 4'd3, ST_COMMAND = 4'd4,
      ST_TIMEOUT = 4'd5;

  // Receiver states
  localparam [2:0] P_IDLE = 3'd0, P_HDR = 3'd1, P_DATA = 3'd2, P_CRC = 3'd3, P_CHECK = 3'd4,
      P_EXEC = 3'd5;
  // Execution steps (in P_EXEC)
  localparam [1:0] X_LOAD = 2'd0, X_BUS = 2'd1, X_STORE = 2'd2;
  // Transmitter states
  localparam [1:0] T_IDLE = 2'd0, T_PREP = 2'd1, T_LOAD = 2'd2, T_SEND = 2'd3;

  // CRC-16/CCITT-FALSE (poly 0x1021, MSB first): the next value after one byte.
  function [15:0] crc16;
    input [15:0] c;
    input [7:0] d;
    integer i;
    reg [15:0] x;
    begin
      x = c ^ {d, 8'h00};
      for (i = 0; i < 8; i = i + 1) x = x[15] ? ((x << 1) ^ 16'h1021) : (x << 1);
      crc16 = x;
    end
  endfunction

  // UART
  wire [7:0] rx_data;
  wire rx_valid, rx_ferr, rx_busy, utx_ready;
  reg utx_valid;
  reg [7:0] utx_data;

  wnn_uart_rx #(
      .CLK_HZ(CLK_HZ),
      .BAUD  (BAUD)
  ) u_rx (
      .clk_i      (clk_i),
      .rst_i      (rst_i),
      .rx_i       (rx_i),
      .data_o     (rx_data),
      .valid_o    (rx_valid),
      .frame_err_o(rx_ferr),
      .busy_o     (rx_busy)
  );

  wnn_uart_tx #(
      .CLK_HZ(CLK_HZ),
      .BAUD  (BAUD)
  ) u_tx (
      .clk_i  (clk_i),
      .rst_i  (rst_i),
      .data_i (utx_data),
      .valid_i(utx_valid),
      .ready_o(utx_ready),
      .tx_o   (tx_o)
  );

  // Frame buffer: one write port (received write data, read results), one registered read port
  // (write data for the bus, response data for the transmitter; never both at once).
  reg [7:0] mem_q[0:(1<<AW)-1];
  reg [7:0] mem_rdata_q;
  reg mem_we;
  reg [AW-1:0] mem_waddr, mem_raddr, ex_raddr, tx_raddr;
  reg [7:0] mem_wdata;

  always @(posedge clk_i) begin
    if (mem_we) mem_q[mem_waddr] <= mem_wdata;
    mem_rdata_q <= mem_q[mem_raddr];
  end

  // Receiver, checker and bus master
  reg [2:0] p_q, p_d;
  reg [1:0] x_q, x_d;
  reg [9:0] cnt_q, cnt_d;  // byte index in the header, the data or the CRC
  reg [TW-1:0] tmo_q, tmo_d;
  reg [15:0] crc_q, crc_d;  // running CRC of the frame, 0 after a good one
  reg [7:0] seq_q, seq_d, cmd_q, cmd_d, len_q, len_d;
  reg [15:0] addr_q, addr_d, crcrx_q, crcrx_d;
  reg [7:0] w_q, w_d;  // word of the burst
  reg [2:0] xb_q, xb_d;  // byte of the word
  reg [31:0] word_q, word_d;
  reg [15:2] wadr_q, wadr_d;
  reg cyc_q, cyc_d, stb_q, stb_d;
  reg [BW-1:0] wbt_q, wbt_d;
  reg err_q, err_d;
  reg bad_q, bad_d;  // a byte of the frame had a framing error
  reg late_q, late_d;  // the frame timed out after its SEQ
  reg end_ok_q, end_ok_d;  // the byte after the CRC was EOF
  // The last executed frame and its response
  reg last_valid_q, last_valid_d, last_read_q, last_read_d;
  reg [7:0] last_seq_q, last_seq_d, last_count_q, last_count_d;
  reg [15:0] last_crc_q, last_crc_d;
  reg [3:0] last_status_q, last_status_d;
  // A response to send: its header
  reg launch, l_read;
  reg [7:0] l_seq, l_count;
  reg [3:0] l_status;

  reg [1:0] t_q, t_d;  // transmitter state
  wire tx_idle = (t_q == T_IDLE);
  wire in_frame = (p_q == P_HDR) || (p_q == P_DATA) || (p_q == P_CRC);
  wire is_write = cmd_q[CMD_WRITE];
  wire last_word = (w_q == len_q - 8'd1);

  // Ends the burst: keep the response for repeats and send it.
  task end_burst;
    input [3:0] status;
    input [7:0] count;
    begin
      p_d = P_IDLE;
      cyc_d = 1'b0;
      stb_d = 1'b0;
      last_valid_d = 1'b1;
      last_seq_d = seq_q;
      last_crc_d = crcrx_q;
      last_status_d = status;
      last_count_d = count;
      last_read_d = !is_write;
      launch = 1'b1;
      l_seq = seq_q;
      l_status = status;
      l_count = count;
      l_read = !is_write;
    end
  endtask

  // Next word of the burst, or the end.
  task next_word;
    begin
      if (last_word) begin
        end_burst(ST_OK, len_q);
      end else begin
        w_d  = w_q + 8'd1;
        xb_d = 3'd0;
        if (!cmd_q[CMD_FIXED]) wadr_d = wadr_q + 14'd1;
        if (is_write) begin
          x_d = X_LOAD;
        end else begin
          x_d   = X_BUS;
          cyc_d = 1'b1;
          stb_d = 1'b1;
          wbt_d = {BW{1'b0}};
        end
      end
    end
  endtask

  always @* begin
    p_d = p_q;
    x_d = x_q;
    cnt_d = cnt_q;
    tmo_d = {TW{1'b0}};
    crc_d = crc_q;
    seq_d = seq_q;
    cmd_d = cmd_q;
    len_d = len_q;
    addr_d = addr_q;
    crcrx_d = crcrx_q;
    w_d = w_q;
    xb_d = xb_q;
    word_d = word_q;
    wadr_d = wadr_q;
    cyc_d = cyc_q;
    stb_d = stb_q;
    wbt_d = wbt_q;
    err_d = err_q;
    bad_d = bad_q;
    late_d = late_q;
    end_ok_d = end_ok_q;
    last_valid_d = last_valid_q;
    last_read_d = last_read_q;
    last_seq_d = last_seq_q;
    last_count_d = last_count_q;
    last_crc_d = last_crc_q;
    last_status_d = last_status_q;
    launch = 1'b0;
    l_seq = seq_q;
    l_status = ST_OK;
    l_count = 8'd0;
    l_read = 1'b0;
    mem_we = 1'b0;
    mem_waddr = {AW{1'b0}};
    mem_wdata = rx_data;
    ex_raddr = {1'b0, w_q[WW-1:0], xb_q[1:0]};

    if (in_frame) begin
      tmo_d = tmo_q + {{(TW - 1) {1'b0}}, 1'b1};
      if (rx_valid) begin
        tmo_d = {TW{1'b0}};
        if (!(p_q == P_CRC && cnt_q[1])) crc_d = crc16(crc_q, rx_data);  // EOF is outside it
        if (rx_ferr) bad_d = 1'b1;  // counted, so the frame keeps its length; refused at the end
      end else if (tmo_q == TIMEOUT_LAST) begin
        // the rest of the frame did not come: answer if SEQ is known, so the host repeats at once
        err_d = 1'b1;
        if (p_q == P_HDR && cnt_q == 10'd0) begin
          p_d = P_IDLE;
        end else begin
          p_d = P_CHECK;
          late_d = 1'b1;
        end
      end
    end

    case (p_q)
      P_IDLE:
      if (rx_valid && !rx_ferr && rx_data == SOF_REQ) begin
        p_d    = P_HDR;
        cnt_d  = 10'd0;
        crc_d  = crc16(16'hFFFF, rx_data);
        bad_d  = 1'b0;
        late_d = 1'b0;
        end_ok_d = 1'b0;
      end
      P_HDR:
      if (rx_valid) begin
        cnt_d = cnt_q + 10'd1;
        case (cnt_q[2:0])
          3'd0: seq_d = rx_data;
          3'd1: cmd_d = rx_data;
          3'd2: len_d = rx_data;
          3'd3: addr_d[7:0] = rx_data;
          default: begin
            addr_d[15:8] = rx_data;
            cnt_d = 10'd0;
            p_d = (is_write && len_q != 8'd0) ? P_DATA : P_CRC;
          end
        endcase
      end
      P_DATA:
      if (rx_valid) begin
        mem_we = (cnt_q < MAX_BYTES);  // a longer burst is only counted, then refused
        mem_waddr = {1'b0, cnt_q[AW-2:0]};
        cnt_d = cnt_q + 10'd1;
        if (cnt_q == {len_q - 8'd1, 2'b11}) begin
          cnt_d = 10'd0;
          p_d   = P_CRC;
        end
      end
      P_CRC:  // CRC high, CRC low, EOF
      if (rx_valid) begin
        cnt_d = cnt_q + 10'd1;
        if (cnt_q[1]) begin
          end_ok_d = (rx_data == EOF);
          p_d = P_CHECK;
        end else begin
          crcrx_d = {crcrx_q[7:0], rx_data};
        end
      end
      P_CHECK:
      if (tx_idle) begin
        p_d = P_IDLE;
        launch = 1'b1;
        if (late_q) begin
          l_status = ST_TIMEOUT;
        end else if (crc_q != 16'd0 || bad_q || !end_ok_q) begin
          l_status = ST_CRC;
          err_d = 1'b1;
        end else if (cmd_q[7:3] != 5'd0 || addr_q[1:0] != 2'd0) begin
          l_status = ST_COMMAND;
          err_d = 1'b1;
        end else if (len_q == 8'd0 || {1'b0, len_q} > MAX_LEN) begin
          l_status = ST_LENGTH;
          err_d = 1'b1;
        end else if (last_valid_q && !cmd_q[CMD_NEW] && seq_q == last_seq_q &&
                     crcrx_q == last_crc_q) begin
          l_seq = last_seq_q;  // a repeat: the kept response again
          l_status = last_status_q;
          l_count = last_count_q;
          l_read = last_read_q;
        end else begin
          launch = 1'b0;
          p_d = P_EXEC;
          w_d = 8'd0;
          xb_d = 3'd0;
          wadr_d = addr_q[15:2];
          if (is_write) begin
            x_d = X_LOAD;
          end else begin
            x_d   = X_BUS;
            cyc_d = 1'b1;
            stb_d = 1'b1;
            wbt_d = {BW{1'b0}};
          end
        end
      end
      P_EXEC:
      case (x_q)
        X_LOAD: begin
          // read the word's four bytes; each arrives a clock after its address
          xb_d = xb_q + 3'd1;
          if (xb_q != 3'd0) word_d = {mem_rdata_q, word_q[31:8]};
          if (xb_q == 3'd4) begin
            x_d   = X_BUS;
            cyc_d = 1'b1;
            stb_d = 1'b1;
            wbt_d = {BW{1'b0}};
          end
        end
        X_BUS: begin
          wbt_d = wbt_q + {{(BW - 1) {1'b0}}, 1'b1};
          if (stb_q && !wbm_stall_i) stb_d = 1'b0;
          if (wbm_err_i || (!wbm_ack_i && wbt_q == WB_LAST)) begin
            err_d = 1'b1;
            end_burst(ST_BUS, w_q);
          end else if (wbm_ack_i) begin
            cyc_d = 1'b0;
            stb_d = 1'b0;
            if (is_write) begin
              next_word;
            end else begin
              word_d = wbm_dat_i;
              x_d = X_STORE;
              xb_d = 3'd0;
            end
          end
        end
        X_STORE: begin
          mem_we = 1'b1;
          mem_waddr = {1'b1, w_q[WW-1:0], xb_q[1:0]};
          mem_wdata = word_q[7:0];
          word_d = {8'd0, word_q[31:8]};
          xb_d = xb_q + 3'd1;
          if (xb_q == 3'd3) next_word;
        end
        default: x_d = X_LOAD;
      endcase
      default: p_d = P_IDLE;
    endcase
  end

  always @(posedge clk_i) begin
    if (rst_i) begin
      p_q <= P_IDLE;
      x_q <= X_LOAD;
      cyc_q <= 1'b0;
      stb_q <= 1'b0;
      err_q <= 1'b0;
      bad_q <= 1'b0;
      late_q <= 1'b0;
      last_valid_q <= 1'b0;
    end else begin
      p_q <= p_d;
      x_q <= x_d;
      cyc_q <= cyc_d;
      stb_q <= stb_d;
      err_q <= err_d;
      bad_q <= bad_d;
      late_q <= late_d;
      last_valid_q <= last_valid_d;
    end
  end

  always @(posedge clk_i) begin
    cnt_q <= cnt_d;
    tmo_q <= tmo_d;
    crc_q <= crc_d;
    seq_q <= seq_d;
    cmd_q <= cmd_d;
    len_q <= len_d;
    addr_q <= addr_d;
    crcrx_q <= crcrx_d;
    w_q <= w_d;
    xb_q <= xb_d;
    word_q <= word_d;
    wadr_q <= wadr_d;
    wbt_q <= wbt_d;
    last_read_q <= last_read_d;
    last_seq_q <= last_seq_d;
    last_count_q <= last_count_d;
    last_crc_q <= last_crc_d;
    last_status_q <= last_status_d;
    end_ok_q <= end_ok_d;
  end

  // Transmitter: SOF, SEQ, STATUS, COUNT, COUNT x 4 data bytes for a read, CRC high, CRC low, EOF.
  reg [10:0] tix_q, tix_d;  // byte of the response
  reg [15:0] tcrc_q, tcrc_d;
  reg [7:0] tbyte_q, tbyte_d, tseq_q, tseq_d, tcount_q, tcount_d;
  reg [3:0] tstatus_q, tstatus_d;
  reg tread_q, tread_d;

  wire [10:0] tdata_end = 11'd4 + (tread_q ? {1'b0, tcount_q, 2'b00} : 11'd0);  // first CRC byte
  wire [10:0] tdidx = tix_q - 11'd4;  // data byte; only its low AW-1 bits address the buffer
  wire unused_tdidx = &{1'b0, tdidx[10:AW-1]};

  always @* begin
    t_d = t_q;
    tix_d = tix_q;
    tcrc_d = tcrc_q;
    tbyte_d = tbyte_q;
    tseq_d = tseq_q;
    tcount_d = tcount_q;
    tstatus_d = tstatus_q;
    tread_d = tread_q;
    utx_valid = 1'b0;
    utx_data = tbyte_q;
    tx_raddr = {1'b1, tdidx[AW-2:0]};
    case (t_q)
      T_IDLE:
      if (launch) begin
        t_d = T_PREP;
        tix_d = 11'd0;
        tcrc_d = 16'hFFFF;
        tseq_d = l_seq;
        tstatus_d = l_status;
        tcount_d = l_count;
        tread_d = l_read;
      end
      T_PREP: begin
        t_d = T_SEND;
        if (tix_q == 11'd0) tbyte_d = SOF_RSP;
        else if (tix_q == 11'd1) tbyte_d = tseq_q;
        else if (tix_q == 11'd2) tbyte_d = {tread_q, 3'd0, tstatus_q};
        else if (tix_q == 11'd3) tbyte_d = tcount_q;
        else if (tix_q == tdata_end) tbyte_d = tcrc_q[15:8];
        else if (tix_q == tdata_end + 11'd1) tbyte_d = tcrc_q[7:0];
        else if (tix_q == tdata_end + 11'd2) tbyte_d = EOF;
        else t_d = T_LOAD;  // a data byte: its address is on the read port now
      end
      T_LOAD: begin
        tbyte_d = mem_rdata_q;
        t_d = T_SEND;
      end
      T_SEND: begin
        utx_valid = 1'b1;
        if (utx_ready) begin
          if (tix_q < tdata_end) tcrc_d = crc16(tcrc_q, tbyte_q);
          tix_d = tix_q + 11'd1;
          t_d   = (tix_q == tdata_end + 11'd2) ? T_IDLE : T_PREP;
        end
      end
      default: t_d = T_IDLE;
    endcase
  end

  always @(posedge clk_i) begin
    if (rst_i) t_q <= T_IDLE;
    else t_q <= t_d;
  end

  always @(posedge clk_i) begin
    tix_q <= tix_d;
    tcrc_q <= tcrc_d;
    tbyte_q <= tbyte_d;
    tseq_q <= tseq_d;
    tcount_q <= tcount_d;
    tstatus_q <= tstatus_d;
    tread_q <= tread_d;
  end

  always @* mem_raddr = tx_idle ? ex_raddr : tx_raddr;

  assign wbm_cyc_o = cyc_q;
  assign wbm_stb_o = stb_q;
  assign wbm_we_o = is_write;
  assign wbm_adr_o = wadr_q;
  assign wbm_dat_o = word_q;
  assign wbm_sel_o = 4'hF;
  assign link_o = (p_q != P_IDLE) || !tx_idle || !utx_ready || rx_busy;
  assign error_o = err_q;
endmodule

`default_nettype wire
