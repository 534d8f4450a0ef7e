#pragma once
// The RPZ primary on the network: one UDP socket and one TCP acceptor on the same address and
// port, answering through xfr::Answer(), and the NOTIFY sender. Each served request is logged at
// info level as "dns <kind> zone=<z> serial=<from>-><to> client=<ip> tcp=<0|1>" (the end-to-end
// tests read it to tell IXFR from AXFR). Runs on the io_context it is given.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <spdlog/logger.h>

#include "base/result.hpp"
#include "rpz/zones.hpp"

namespace rampart::xfr {

struct DnsOptions {
  int notify_attempts = 5;              // per target, until a reply arrives
  int notify_first_timeout_ms = 1000;   // doubled after each unanswered attempt
  // A TCP client that takes longer than this to accept one message of an answer is dropped: a
  // stalled secondary must not hold its transfer (and the zone version it pins) forever.
  int64_t write_timeout_ms = 30000;
  // SO_SNDBUF of each accepted TCP connection; 0 keeps the kernel's autotuning. A fixed size bounds
  // the kernel memory a transfer holds (and makes "the client stopped reading" independent of the
  // host's tcp_wmem).
  int send_buffer_bytes = 0;
  // NOTIFY rounds (one target of one published version) per organization per minute; past it the
  // round is skipped (the secondary still refreshes on its SOA timers) and one line says so.
  uint32_t notify_per_org_per_min = 1000;
};

class DnsServer {
 public:
  // TCP answers (transfers: up to a second and tens of MB at 1M entries) are built on `pool`, so
  // they never stall the I/O thread's other connections; small UDP answers are built inline.
  DnsServer(boost::asio::io_context& ioc, boost::asio::thread_pool& pool, const rpz::ZoneRegistry& zones,
            const Clock& clock, std::shared_ptr<spdlog::logger> log, DnsOptions opts = {});
  ~DnsServer();
  // Binds UDP and TCP on the same port (with port 0: the one TCP got). Returns the port.
  Result<uint16_t> Listen(const std::string& address, uint16_t port);
  void Stop();
  // Sends the zone's NOTIFY to each of its targets, retried until answered. Thread-safe.
  void Notify(const rpz::ZonePtr& zone);

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace rampart::xfr
