#pragma once
// Composition of the enforcement side: policies and devices, the RPZ zone registry, and the DNS
// primary, wired to the user lists (a list change recompiles its account's zones; a list in use
// cannot be deleted) and to each other (a published zone is NOTIFYed to its devices' targets).
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <memory>
#include <spdlog/logger.h>

#include "api/policies_handlers.hpp"
#include "app/serial_floor.hpp"
#include "enforcement/policies.hpp"
#include "rpz/zones.hpp"
#include "store/store.hpp"
#include "userlists/service.hpp"
#include "xfr/dns_server.hpp"

namespace rampart::app {

struct EnforcementOptions {
  std::string server_name = "rampart";
  std::string dns_listen = "127.0.0.1:5353";  // "off": no DNS listener
  int64_t dns_write_timeout_ms = 30000;       // xfr::DnsOptions::write_timeout_ms
  int64_t dns_send_buffer_bytes = 0;          // xfr::DnsOptions::send_buffer_bytes
  std::vector<net::IpNetwork> notify_denied_networks = {};  // enforcement::PolicyOptions
  int64_t notify_targets_per_device = 16;
  int64_t notify_targets_per_org = 64;
  int64_t notify_per_org_per_min = 1000;  // xfr::DnsOptions
  std::string serial_floor_path = {};      // empty: no floor (tests); else <data_dir>/zone-serials
};

// "10.0.0.0/8, 192.0.2.1" as networks (an address alone is its /32 or /128).
Result<std::vector<net::IpNetwork>> ParseNetworks(std::string_view text, const char* setting);

class Enforcement {
 public:
  // Blocking: compiles the zones of every account that has policies. `lists` must have every
  // account loaded.
  static Result<std::unique_ptr<Enforcement>> Create(store::Store& store, userlists::UserListService& lists,
                                                     const Clock& clock, const crypto::SecretBox& box,
                                                     boost::asio::io_context& ioc, boost::asio::thread_pool& pool,
                                                     std::shared_ptr<spdlog::logger> log, EnforcementOptions opts);
  // Binds the DNS listener, then NOTIFYs every zone's secondaries (a NOTIFY sent before the
  // listener existed would have sent them to a closed port); the bound port, or 0 when it is off.
  Result<uint16_t> Start();
  void Stop();
  api::EnforcementDeps& deps() { return *deps_; }
  // Blocking. The organization is gone (deleted by another process): drop its policies and stop
  // serving its zones.
  void Forget(const std::string& org_id);

 private:
  Enforcement() = default;
  void Rebuild(const std::string& org_id);

  EnforcementOptions opts_;
  userlists::UserListService* lists_ = nullptr;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<enforcement::PolicyService> policies_;
  std::unique_ptr<SerialFloor> floor_;  // declared before zones_, which calls it
  std::unique_ptr<rpz::ZoneRegistry> zones_;
  std::unique_ptr<xfr::DnsServer> dns_;
  std::unique_ptr<api::EnforcementDeps> deps_;
  std::atomic<bool> started_{false};  // publishes NOTIFY only once the DNS listener is up
};

}  // namespace rampart::app
