// SPDX-License-Identifier: MIT
// wnn_testbench.h - one reusable Verilator testbench: clock, reset, waveform on/off.
//
// Model is a verilated top with clk_i and rst_i (synchronous, active high). Every instance owns
// its VerilatedContext, so several testbenches (of the same or different models) can coexist.
// Waveforms exist only when the model was verilated with --trace-fst (WNN_SIM_TRACE=1) or
// --trace (WNN_SIM_TRACE=1 and WNN_SIM_TRACE_VCD=1).
#ifndef WNN_TESTBENCH_H
#define WNN_TESTBENCH_H

#include <cstdint>
#include <memory>

#include "verilated.h"

#ifndef WNN_SIM_TRACE
#define WNN_SIM_TRACE 0
#endif
#if WNN_SIM_TRACE
#if WNN_SIM_TRACE_VCD
#include "verilated_vcd_c.h"
typedef VerilatedVcdC WnnTraceFile;
#else
#include "verilated_fst_c.h"
typedef VerilatedFstC WnnTraceFile;
#endif
#endif

template <class Model> class WnnTestbench {
public:
	// Registers without a reset start at pseudo-random values (fixed seed: runs repeat), so the
	// co-simulation notices state that the RTL reads before it writes.
	explicit WnnTestbench(uint64_t rand_seed = 1) : context_(new VerilatedContext)
	{
		context_->randReset(2);
		context_->randSeed((int)rand_seed);
#if WNN_SIM_TRACE
		context_->traceEverOn(true);
#endif
		model_.reset(new Model(context_.get(), "tb"));
		model_->clk_i = 0;
		model_->rst_i = 0;
		model_->eval();
	}
	~WnnTestbench()
	{
		trace_close();
		model_->final();
	}
	WnnTestbench(const WnnTestbench &) = delete;
	WnnTestbench &operator=(const WnnTestbench &) = delete;

	Model &dut() { return *model_; }
	uint64_t cycles() const { return cycles_; }

	// One clock: inputs set before the call are sampled by the rising edge; on return the
	// registered outputs show the state after that edge and combinational outputs have settled.
	void tick()
	{
		model_->clk_i = 0;
		model_->eval();
		dump(cycles_ * 10u + 5u);
		model_->clk_i = 1;
		model_->eval();
		cycles_++;
		dump(cycles_ * 10u);
	}
	// Settles combinational outputs after an input change, without a clock edge.
	void settle() { model_->eval(); }

	void reset(unsigned clocks = 4)
	{
		model_->rst_i = 1;
		for (unsigned i = 0; i < clocks; i++)
			tick();
		model_->rst_i = 0;
		settle();
	}

	// Starts a waveform in path (replacing one in progress); false if this build cannot trace.
	bool trace_open(const char *path)
	{
#if WNN_SIM_TRACE
		trace_close();
		trace_.reset(new WnnTraceFile);
		model_->trace(trace_.get(), 99);
		trace_->open(path);
		if (!trace_->isOpen()) {
			trace_.reset();
			return false;
		}
		return true;
#else
		(void)path;
		return false;
#endif
	}
	void trace_close()
	{
#if WNN_SIM_TRACE
		if (trace_) {
			trace_->close();
			trace_.reset();
		}
#endif
	}

private:
	void dump(uint64_t time)
	{
#if WNN_SIM_TRACE
		if (trace_)
			trace_->dump(time);
#else
		(void)time;
#endif
	}

	std::unique_ptr<VerilatedContext> context_;
	std::unique_ptr<Model> model_;
#if WNN_SIM_TRACE
	std::unique_ptr<WnnTraceFile> trace_;
#endif
	uint64_t cycles_ = 0;
};

#endif // WNN_TESTBENCH_H
