#include "app/enforcement.hpp"

#include <charconv>

#include "base/strings.hpp"

namespace rampart::app {

Result<std::vector<net::IpNetwork>> ParseNetworks(std::string_view text, const char* setting) {
  std::string bad;
  auto nets = net::ParseNetworkList(text, &bad);
  if (!nets) return Error::Invalid(std::string(setting) + ": not an address or network: " + QuoteForDetail(bad));
  return std::move(*nets);
}

Result<std::unique_ptr<Enforcement>> Enforcement::Create(store::Store& store, userlists::UserListService& lists,
                                                         const Clock& clock, const crypto::SecretBox& box,
                                                         boost::asio::io_context& ioc, boost::asio::thread_pool& pool,
                                                         std::shared_ptr<spdlog::logger> log, EnforcementOptions opts) {
  std::unique_ptr<Enforcement> e(new Enforcement());
  e->opts_ = opts;
  e->lists_ = &lists;
  e->log_ = log;
  e->policies_ = std::make_unique<enforcement::PolicyService>(
      store, lists, clock, box,
      enforcement::PolicyOptions{.server_name = opts.server_name,
                         .notify_denied_networks = opts.notify_denied_networks,
                         .max_notify_per_device = static_cast<size_t>(opts.notify_targets_per_device),
                         .max_notify_per_account = static_cast<size_t>(opts.notify_targets_per_org)});
  rpz::ZoneOptions zone_opts{.server_name = opts.server_name};
  if (!opts.serial_floor_path.empty()) {
    RAMPART_TRY(floor, SerialFloor::Open(opts.serial_floor_path));
    e->floor_ = std::move(floor);
    SerialFloor* f = e->floor_.get();
    zone_opts.serial_floor = [f](const std::string& zone) { return f->Get(zone); };
    zone_opts.serial_published = [f, log](const std::string& zone, uint32_t serial) {
      if (auto r = f->Record(zone, serial); !r) log->error("rpz: serial floor not saved: {}", r.error().detail);
    };
  }
  e->zones_ = std::make_unique<rpz::ZoneRegistry>(store, clock, zone_opts);
  xfr::DnsOptions dns_opts;
  dns_opts.write_timeout_ms = opts.dns_write_timeout_ms;
  dns_opts.send_buffer_bytes = static_cast<int>(opts.dns_send_buffer_bytes);
  dns_opts.notify_per_org_per_min = static_cast<uint32_t>(opts.notify_per_org_per_min);
  e->dns_ = std::make_unique<xfr::DnsServer>(ioc, pool, *e->zones_, clock, log, dns_opts);
  e->deps_ = std::make_unique<api::EnforcementDeps>(api::EnforcementDeps{*e->policies_, *e->zones_, lists});
  Enforcement* raw = e.get();
  e->policies_->zone_overlaps = [raw](const std::string& zone, const std::string& account) {
    return raw->zones_->Overlaps(zone, account);
  };
  e->policies_->OnChange([raw](const std::string& account) { raw->Rebuild(account); });
  e->zones_->OnPublish([raw](const rpz::ZonePtr& z) {
    raw->log_->info("rpz zone {} serial {} ({} records)", z->origin, z->soa.serial, z->records.size());
    if (raw->started_.load()) raw->dns_->Notify(z);
  });
  lists.SetHooks({[raw](const std::string& account, const std::string& list_id) {
                    return raw->policies_->ListInUse(account, list_id);
                  },
                  [raw](const std::string& account) { raw->Rebuild(account); }});
  RAMPART_TRY(accounts, e->policies_->AccountsWithPolicies());
  for (const auto& a : accounts) e->Rebuild(a);
  return e;
}

void Enforcement::Rebuild(const std::string& org_id) {
  auto set = policies_->Load(org_id);
  auto lists = set ? lists_->Load(org_id) : Result<userlists::AccountListsPtr>(set.error());
  Result<void> done = lists ? zones_->Rebuild(org_id, enforcement::ZoneSpecsOf(**set), **lists) : Result<void>(lists.error());
  if (!done) log_->error("rpz: recompiling the zones of organization {} failed: {}", org_id, done.error().detail);
}

void Enforcement::Forget(const std::string& org_id) {
  policies_->Drop(org_id);
  Rebuild(org_id);
}

Result<uint16_t> Enforcement::Start() {
  if (opts_.dns_listen == "off") return uint16_t{0};
  const std::string& l = opts_.dns_listen;
  const size_t colon = l.rfind(':');
  unsigned port = 0;
  std::string host = colon == std::string::npos ? "" : l.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  auto [p, ec] = colon == std::string::npos ? std::from_chars_result{nullptr, std::errc::invalid_argument}
                                            : std::from_chars(l.data() + colon + 1, l.data() + l.size(), port);
  if (ec != std::errc() || p != l.data() + l.size() || port > 65535) {
    return Error::Invalid("dns_listen must be HOST:PORT or off, got " + l);
  }
  RAMPART_TRY(bound, dns_->Listen(host, static_cast<uint16_t>(port)));
  started_ = true;
  for (const auto& z : zones_->All()) dns_->Notify(z);  // secondaries check the SOA (a restore may have moved it)
  return bound;
}

void Enforcement::Stop() { dns_->Stop(); }

}  // namespace rampart::app
