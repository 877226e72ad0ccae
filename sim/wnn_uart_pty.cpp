// SPDX-License-Identifier: MIT
// wnn_uart_pty.cpp - rtl/wnn_uart_soc.v verilated behind a pseudo-terminal: a board in software.
//
// The host side is a pty: a program opens its slave (/dev/pts/N, printed on stdout; --link makes
// a symlink to it) exactly as it would open /dev/ttyUSB1: `wnnrec ... --backend uart:/dev/pts/N`.
// Every byte the host writes is put on uart_rx_i bit by bit at the UART's real bit time
// (UART_CLK_HZ / UART_BAUD clocks, the parameters this program was verilated with); uart_tx_o is
// sampled by a software UART at mid-bit and the bytes go back to the pty. Simulated time stands
// still while nothing happens (no byte on the way in either direction, link_o low), so an idle
// host costs no CPU and a partial frame still times out in simulated time.
//
// Fault injection, per byte and in both directions: --drop, --dup, --flip (one of the ten line bits
// host->device: start and stop bits included; one of the eight data bits device->host), --stall
// (a pause of 1..--stall-max byte times before the byte); --faults P sets all four to P percent.
// --skew P makes the host's bit time P percent longer (negative: shorter) than the device's, for
// the bytes it sends and the bytes it samples.
// Stops on SIGINT/SIGTERM (or after --max-idle seconds without traffic) and prints its counters.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "Vwnn_uart_soc.h"
#include "wnn_testbench.h"

#ifndef UART_CLK_HZ
#define UART_CLK_HZ 12000000
#endif
#ifndef UART_BAUD
#define UART_BAUD 1000000
#endif

static const unsigned kDiv = (UART_CLK_HZ + UART_BAUD / 2) / UART_BAUD; // clocks per bit
static volatile sig_atomic_t g_stop = 0; // set by SIGINT/SIGTERM (a signal handler needs a global)

static void on_signal(int) { g_stop = 1; }

struct Faults {
	double drop = 0, dup = 0, flip = 0, stall = 0; // probabilities per byte
	unsigned stall_max = 100;                      // byte times
};

struct Counters {
	uint64_t bytes = 0, dropped = 0, duplicated = 0, flipped = 0, stalled = 0;
};

class Rng { // splitmix64
public:
	explicit Rng(uint64_t seed) : s_(seed) {}
	uint64_t next()
	{
		uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
		return z ^ (z >> 31);
	}
	bool chance(double p) { return p > 0 && (double)(next() >> 11) * 0x1.0p-53 < p; }
	unsigned below(unsigned n) { return (unsigned)(next() % n); }

private:
	uint64_t s_;
};

// Host -> device: puts queued bytes on the line, ten bits each, with faults.
class LineDriver {
public:
	LineDriver(const Faults &f, Rng &rng, double skew)
	    : f_(f), rng_(rng), period_((uint32_t)(kDiv * 256.0 * (1.0 + skew / 100.0) + 0.5))
	{
	}
	std::deque<uint8_t> queue;
	Counters n;

	bool busy() const { return bits_ > 0 || gap_ > 0 || !queue.empty(); }
	// The level for the next clock.
	int level()
	{
		if (bits_ == 0 && gap_ == 0 && !queue.empty())
			load();
		if (gap_ > 0) {
			gap_--;
			return 1;
		}
		if (bits_ == 0)
			return 1;
		int v = frame_ & 1;
		acc_ += 256;
		if (acc_ >= period_) {
			acc_ -= period_;
			frame_ >>= 1;
			bits_--;
		}
		return v;
	}

private:
	void load()
	{
		uint8_t b = queue.front();
		bool again = dup_pending_;
		queue.pop_front();
		dup_pending_ = false;
		n.bytes++;
		if (!again && rng_.chance(f_.stall)) {
			n.stalled++;
			gap_ = (uint64_t)(1 + rng_.below(f_.stall_max)) * 10u * kDiv;
		}
		if (!again && rng_.chance(f_.drop)) {
			n.dropped++;
			return;
		}
		if (!again && rng_.chance(f_.dup)) {
			n.duplicated++;
			queue.push_front(b);
			dup_pending_ = true;
		}
		frame_ = (uint16_t)(0x200u | (unsigned)b << 1); // start 0, data LSB first, stop 1
		if (!again && rng_.chance(f_.flip)) {
			n.flipped++;
			frame_ ^= (uint16_t)(1u << rng_.below(10));
		}
		bits_ = 10;
		acc_ = 0;
	}

	const Faults &f_;
	Rng &rng_;
	uint32_t period_, acc_ = 0; // bit time in 1/256 clocks
	uint16_t frame_ = 0;
	unsigned bits_ = 0;
	uint64_t gap_ = 0;
	bool dup_pending_ = false;
};

// Device -> host: a software UART on uart_tx_o (mid-bit sampling), then faults and stalls.
class LineSampler {
public:
	LineSampler(const Faults &f, Rng &rng, double skew)
	    : f_(f), rng_(rng), period_((int32_t)(kDiv * 256.0 * (1.0 + skew / 100.0) + 0.5))
	{
	}
	struct Out {
		uint8_t byte;
		uint64_t release; // clock from which it may go to the pty
	};
	std::deque<Out> out;
	Counters n;
	uint64_t framing_errors = 0;

	bool busy() const { return state_ != 0 || !out.empty(); }
	// One clock of the line; the host's UART samples each bit at its middle, by its own bit time.
	void sample(int tx, uint64_t clock)
	{
		if (state_ == 0) {
			if (!tx) {
				state_ = 1;
				wait_ = period_ / 2;
			}
			return;
		}
		wait_ -= 256;
		if (wait_ > 0)
			return;
		wait_ += period_;
		switch (state_) {
		case 1: // start bit: check its middle
			if (tx) {
				state_ = 0;
			} else {
				state_ = 2;
				bit_ = 0;
				shift_ = 0;
			}
			break;
		case 2:
			shift_ = (uint8_t)(shift_ >> 1 | (tx ? 0x80 : 0));
			if (++bit_ == 8)
				state_ = 3;
			break;
		default: // stop bit
			if (!tx)
				framing_errors++;
			deliver(shift_, clock);
			state_ = 0;
			break;
		}
	}

private:
	void deliver(uint8_t b, uint64_t clock)
	{
		uint64_t release = clock;
		n.bytes++;
		if (rng_.chance(f_.stall)) {
			n.stalled++;
			release += (uint64_t)(1 + rng_.below(f_.stall_max)) * 10u * kDiv;
		}
		if (!out.empty() && out.back().release > release)
			release = out.back().release;
		if (rng_.chance(f_.drop)) {
			n.dropped++;
			return;
		}
		if (rng_.chance(f_.flip)) {
			n.flipped++;
			b ^= (uint8_t)(1u << rng_.below(8));
		}
		out.push_back({b, release});
		if (rng_.chance(f_.dup)) {
			n.duplicated++;
			out.push_back({b, release});
		}
	}

	const Faults &f_;
	Rng &rng_;
	int32_t period_, wait_ = 0; // bit time and time to the next sample, in 1/256 clocks
	int state_ = 0;
	unsigned bit_ = 0;
	uint8_t shift_ = 0;
};

static double now_s()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage()
{
	fprintf(stderr,
		"usage: uart-pty [--link PATH] [--seed S] [--faults PCT] [--drop PCT] [--dup PCT]\n"
		"                [--flip PCT] [--stall PCT] [--stall-max BYTES] [--skew PCT]\n"
		"                [--max-idle SECONDS] [--quiet]\n");
}

static bool parse_pct(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end) / 100.0;
	return !errno && end != s && !*end && *v >= -0.5 && *v <= 1.0;
}

static void print_counters(const char *dir, const Counters &c)
{
	fprintf(stderr, "uart-pty: %s: %llu bytes, %llu dropped, %llu duplicated, %llu flipped, "
			"%llu stalled\n",
		dir, (unsigned long long)c.bytes, (unsigned long long)c.dropped,
		(unsigned long long)c.duplicated, (unsigned long long)c.flipped,
		(unsigned long long)c.stalled);
}

int main(int argc, char **argv)
{
	Faults f;
	uint64_t seed = 1;
	double skew = 0, max_idle = 0;
	const char *link = nullptr;
	bool quiet = false;

	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
		double p;
		if (a == "--quiet") {
			quiet = true;
			continue;
		}
		if (!v) {
			usage();
			return 2;
		}
		i++;
		if (a == "--link") {
			link = v;
		} else if (a == "--seed") {
			seed = strtoull(v, nullptr, 0);
		} else if (a == "--stall-max") {
			f.stall_max = (unsigned)strtoul(v, nullptr, 0);
			if (!f.stall_max) {
				usage();
				return 2;
			}
		} else if (a == "--max-idle") {
			max_idle = strtod(v, nullptr);
		} else if (a == "--skew" && parse_pct(v, &p)) {
			skew = p * 100.0;
		} else if (parse_pct(v, &p) && p >= 0 &&
			   (a == "--faults" || a == "--drop" || a == "--dup" || a == "--flip" ||
			    a == "--stall")) {
			if (a == "--faults" || a == "--drop")
				f.drop = p;
			if (a == "--faults" || a == "--dup")
				f.dup = p;
			if (a == "--faults" || a == "--flip")
				f.flip = p;
			if (a == "--faults" || a == "--stall")
				f.stall = p;
		} else {
			usage();
			return 2;
		}
	}

	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master)) {
		perror("uart-pty: posix_openpt");
		return 1;
	}
	const char *slave_name = ptsname(master);
	std::string slave_path = slave_name ? slave_name : "";
	// Keep the slave open ourselves: the master then never reads EIO between host sessions, and
	// raw mode is in place before any host opens it (no echo of the device's bytes).
	int slave = open(slave_path.c_str(), O_RDWR | O_NOCTTY);
	struct termios t;
	if (slave < 0 || tcgetattr(slave, &t)) {
		perror("uart-pty: slave");
		return 1;
	}
	cfmakeraw(&t);
	tcsetattr(slave, TCSANOW, &t);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	if (link) {
		unlink(link);
		if (symlink(slave_path.c_str(), link)) {
			perror("uart-pty: --link");
			return 1;
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	signal(SIGPIPE, SIG_IGN);

	Rng rng(seed);
	LineDriver driver(f, rng, skew);
	LineSampler sampler(f, rng, skew);
	WnnTestbench<Vwnn_uart_soc> tb(seed);
	Vwnn_uart_soc &d = tb.dut();
	d.uart_rx_i = 1;
	tb.reset();

	printf("%s\n", slave_path.c_str());
	fflush(stdout);
	if (!quiet)
		fprintf(stderr,
			"uart-pty: %s: wnn_uart_soc at %d Hz, %d baud, %u clocks per bit; seed %llu; "
			"faults per byte: drop %.2f%% dup %.2f%% flip %.2f%% stall %.2f%% (1..%u "
			"bytes); host skew %+.1f%%\n",
			slave_path.c_str(), UART_CLK_HZ, UART_BAUD, kDiv, (unsigned long long)seed,
			f.drop * 100, f.dup * 100, f.flip * 100, f.stall * 100, f.stall_max, skew);

	const double t0 = now_s();
	double last_traffic = t0;
	uint8_t buf[4096];
	while (!g_stop) {
		bool active = driver.busy() || sampler.busy() || d.link_o || !d.uart_tx_o;
		if (!active) {
			struct pollfd pfd = {master, POLLIN, 0};
			int r = poll(&pfd, 1, 200);
			if (r < 0 && errno != EINTR) {
				perror("uart-pty: poll");
				break;
			}
			if (r <= 0 || !(pfd.revents & POLLIN)) {
				if (max_idle > 0 && now_s() - last_traffic > max_idle) {
					fprintf(stderr, "uart-pty: idle for %.0f s, stopping\n", max_idle);
					break;
				}
				continue;
			}
		}
		ssize_t n = read(master, buf, sizeof(buf));
		if (n > 0) {
			driver.queue.insert(driver.queue.end(), buf, buf + n);
			last_traffic = now_s();
		}
		for (int i = 0; i < 256; i++) { // a slice of simulated time between pty polls
			d.uart_rx_i = (uint8_t)driver.level();
			tb.tick();
			sampler.sample(d.uart_tx_o, tb.cycles());
		}
		size_t k = 0;
		while (k < sizeof(buf) && k < sampler.out.size() &&
		       sampler.out[k].release <= tb.cycles()) {
			buf[k] = sampler.out[k].byte;
			k++;
		}
		if (k) {
			ssize_t w = write(master, buf, k);
			if (w > 0)
				sampler.out.erase(sampler.out.begin(), sampler.out.begin() + w);
			last_traffic = now_s();
		}
	}

	double wall = now_s() - t0;
	if (!quiet) {
		print_counters("host->device", driver.n);
		print_counters("device->host", sampler.n);
		fprintf(stderr,
			"uart-pty: %llu clocks (%.3f s at %d Hz) in %.1f s wall; error_o %d, "
			"device framing errors seen %llu\n",
			(unsigned long long)tb.cycles(), (double)tb.cycles() / UART_CLK_HZ, UART_CLK_HZ,
			wall, (int)d.error_o, (unsigned long long)sampler.framing_errors);
	}
	if (link)
		unlink(link);
	close(slave);
	close(master);
	return 0;
}
