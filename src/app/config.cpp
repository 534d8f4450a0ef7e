#include "app/config.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <functional>
#include <vector>

#include "base/strings.hpp"

namespace rampart::app {
namespace {

// How a setting is read into a Config and shown from one (its default: shown from Config{}).
struct Field {
  std::function<Result<void>(Config&, const std::string&)> set;
  std::function<std::string(const Config&)> show;
  SettingKind kind;
};

struct Setting {
  const char* key;
  const char* help;
  Field field;
  bool list = false;  // comma-separated; a TOML array of strings is joined with commas
};

Error Bad(const std::string& source, const std::string& key, const std::string& why) {
  return Error::Invalid(source + ": " + key + ": " + why);
}

template <class T>
Field Int(T Config::*field, int64_t lo, int64_t hi) {
  auto set = [=](Config& c, const std::string& v) -> Result<void> {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi) {
      return Error::Invalid("must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                                   ", got " + QuoteForDetail(v));
    }
    c.*field = static_cast<T>(n);
    return {};
  };
  return {set, [=](const Config& c) { return std::to_string(c.*field); }, SettingKind::kInteger};
}

Field Str(std::string Config::*field) {
  auto set = [=](Config& c, const std::string& v) -> Result<void> {
    c.*field = v;
    return {};
  };
  return {set, [=](const Config& c) { return c.*field; }, SettingKind::kString};
}

Field Bool(bool Config::*field) {
  auto set = [=](Config& c, const std::string& v) -> Result<void> {
    std::string l = AsciiLower(v);
    if (l == "true" || l == "1" || l == "yes") {
      c.*field = true;
    } else if (l == "false" || l == "0" || l == "no") {
      c.*field = false;
    } else {
      return Error::Invalid("must be true or false, got " + QuoteForDetail(v));
    }
    return {};
  };
  return {set, [=](const Config& c) { return std::string(c.*field ? "true" : "false"); }, SettingKind::kBoolean};
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"listen", "HOST:PORT to serve HTTP on ([::1]:8080 for IPv6; port 0 picks a free port and prints it)", Str(&Config::listen)},
      {"data_dir", "directory holding rampart.db (+ -wal, -shm) and the master key; created with mode 0700", Str(&Config::data_dir)},
      {"public_base_url", "scheme://host[:port] used in _links (e.g. behind a TLS proxy); unset: from the Host header",
       Str(&Config::public_base_url)},
      {"io_threads", "HTTP threads (0: one per core; on a small machine shared with other busy work, fewer can serve more)", Int(&Config::io_threads, 0, 256)},
      {"blocking_threads", "threads for writes, the other store calls and large-body parsing", Int(&Config::blocking_threads, 1, 256)},
      {"read_threads", "threads for read-only handlers (0: one per core, at most 4, the store's reader connections)", Int(&Config::read_threads, 0, 4)},
      {"max_header_bytes", "request line and headers limit (431 past it)", Int(&Config::max_header_bytes, 1024, 1 << 20)},
      {"max_body_bytes", "request body limit, judged from Content-Length before the body is read (413 past it; policies and devices: 1 MiB)", Int(&Config::max_body_bytes, 1024, int64_t{1} << 30)},
      {"large_body_bytes", "a request announcing a body past this (or a chunked one) must hold a large-body slot while it is read and handled",
       Int(&Config::large_body_bytes, 1024, int64_t{1} << 30)},
      {"max_large_bodies", "large-body slots (503 + Retry-After past them, answered from the head); bounds what authenticated bodies cost",
       Int(&Config::max_large_bodies, 1, 4096)},
      {"read_timeout_ms", "time allowed to receive a request, from its first byte (408 past it)", Int(&Config::read_timeout_ms, 100, 3600000)},
      {"keepalive_timeout_ms", "how long a kept connection may wait for its next request before the server closes it (above agents' 30 s heartbeat; checked a few times per timeout, at least every second)",
       Int(&Config::keepalive_timeout_ms, 100, 3600000)},
      {"max_connections", "concurrent connections (503 past it); the open-file limit is raised to fit them at start",
       Int(&Config::max_connections, 1, 1000000)},
      {"max_connections_per_client", "connections one client address may hold, IPv6 per /64 (503 past it; 0: no cap; trusted_proxies exempt)",
       Int(&Config::max_connections_per_client, 0, 1000000)},
      {"header_timeout_ms", "time allowed for the request line and headers (408 past it), whatever read_timeout_ms allows the body",
       Int(&Config::header_timeout_ms, 100, 3600000)},
      {"tls_cert", "PEM certificate chain; with tls_key it turns on TLS 1.2+ (both or neither)", Str(&Config::tls_cert)},
      {"tls_key", "PEM private key of tls_cert", Str(&Config::tls_key)},
      {"expires_date_order", "mdy or dmy: how ambiguous slash dates in expires are read", Str(&Config::expires_date_order)},
      {"list_name_max_length", "longest accepted list_name (the vendor guide's prose says 8, its examples use 10; docs/api-v4.md)", Int(&Config::list_name_max_length, 1, 64)},
      {"server_name", "this server's DNS name: SOA MNAME and NS of the RPZ zones; default zone names are <policy>.rpz.<server_name>", Str(&Config::server_name)},
      {"dns_listen", "HOST:PORT of the RPZ primary, UDP and TCP (port 0 picks one; off disables; avoid 5353 beside avahi-daemon)", Str(&Config::dns_listen)},
      {"dns_write_timeout_ms", "a DNS TCP client (a secondary transferring a zone) that takes longer to accept one message is dropped",
       Int(&Config::dns_write_timeout_ms, 100, 3600000)},
      {"dns_send_buffer_bytes", "SO_SNDBUF of each DNS TCP connection (0: the kernel sizes it, best for speed); bounds kernel memory per transfer",
       Int(&Config::dns_send_buffer_bytes, 0, 64 << 20)},
      {"sweep_interval_s", "seconds between expiry sweeps (1-60)", Int(&Config::sweep_interval_s, 1, 60)},
      {"change_poll_ms", "how often the change log (revocations, disabled users, deleted organizations made by the CLI) is read (50-60000)",
       Int(&Config::change_poll_ms, 50, 60000)},
      {"token_cache_ttl_ms", "how long API key lookups and Hawk users are cached; the change log pushes CLI revocations sooner", Int(&Config::token_cache_ttl_ms, 0, 60000)},
      {"telemetry_cache_ttl_ms", "how long an organization's agents snapshot is reused (imports by another process show within it)",
       Int(&Config::telemetry_cache_ttl_ms, 0, 600000)},
      {"access_log", "stdout, off, or a file path; JSON lines, no secrets", Str(&Config::access_log)},
      {"log_level", "server log level on stderr: trace, debug, info, warn, error", Str(&Config::log_level)},
      {"hawk_skew_s", "Hawk timestamp skew allowed, seconds", Int(&Config::hawk_skew_s, 1, 3600)},
      {"hawk_external_host", "host Hawk clients sign (behind a proxy); unset: the Host header's", Str(&Config::hawk_external_host)},
      {"hawk_external_port", "port Hawk clients sign (e.g. 443 behind TLS termination); unset: the Host header's", Str(&Config::hawk_external_port)},
      {"rate_limit_org_per_min", "v2 requests per organization per minute (429 past it)", Int(&Config::rate_limit_org_per_min, 1, 100000000)},
      {"rate_limit_ip_per_min", "v2 requests per client address per minute", Int(&Config::rate_limit_ip_per_min, 1, 100000000)},
      {"rate_limit_ip_lockout_s", "how long an address over its limit stays locked out, seconds (0: none)", Int(&Config::rate_limit_ip_lockout_s, 0, 86400)},
      {"rate_limit_max_keys", "keys each rate limiter tracks (least recently seen evicted beyond)", Int(&Config::rate_limit_max_keys, 16, 100000000)},
      {"nonce_cache_capacity", "Hawk nonces remembered at once (fails closed when full: 429 with Retry-After)", Int(&Config::nonce_cache_capacity, 16, 100000000)},
      {"nonce_cache_per_org", "Hawk nonces one organization may hold at once (0: a quarter of nonce_cache_capacity)",
       Int(&Config::nonce_cache_per_org, 0, 100000000)},
      {"notify_denied_networks", "addresses/CIDRs no device's NOTIFY target may be in (unspecified, multicast, broadcast/reserved and link-local never may)", Str(&Config::notify_denied_networks), true},
      {"notify_targets_per_device", "NOTIFY targets one DNS device may name", Int(&Config::notify_targets_per_device, 1, 1000)},
      {"notify_targets_per_org", "NOTIFY targets all of an organization's devices may name together", Int(&Config::notify_targets_per_org, 1, 100000)},
      {"notify_per_org_per_min", "NOTIFY rounds (one target, one zone version) per organization per minute; past it rounds are skipped and logged",
       Int(&Config::notify_per_org_per_min, 1, 10000000)},
      {"event_retention_hours", "how long agents' events are kept (alerts keep their own first 100 events)",
       Int(&Config::event_retention_hours, 1, 24 * 365)},
      {"alert_retention_days", "how long alerts, imported ones too, are kept", Int(&Config::alert_retention_days, 1, 3650)},
      {"max_events_per_org", "stored events per organization; past it the oldest go first (rampart_ingest_events_evicted_total)",
       Int(&Config::max_events_per_org, 1000, int64_t{1} << 40)},
      {"agent_offline_after_s", "an enrolled agent not heard from this long is offline", Int(&Config::agent_offline_after_s, 10, 86400)},
      {"agent_flush_interval_s", "how often agents' status, lastReportedAt and health reach the store (1-60; not under the per-request durability promise)",
       Int(&Config::agent_flush_interval_s, 1, 60)},
      {"ingest_max_batch_bytes", "largest event batch as sent (413 past it)", Int(&Config::ingest_max_batch_bytes, 1024, int64_t{1} << 30)},
      {"ingest_max_inflated_bytes", "largest event batch once inflated (413 past it: zip bombs stop here)",
       Int(&Config::ingest_max_inflated_bytes, 1024, int64_t{1} << 30)},
      {"ingest_agent_per_min", "ingest requests per agent per minute (429 past it)", Int(&Config::ingest_agent_per_min, 1, 100000000)},
      {"ingest_org_per_min", "ingest requests per organization per minute, all its agents together",
       Int(&Config::ingest_org_per_min, 1, 1000000000)},
      {"ingest_ip_per_min", "ingest requests per client address per minute", Int(&Config::ingest_ip_per_min, 1, 1000000000)},
      {"enroll_per_key_per_min", "enrollments per deploy key per minute", Int(&Config::enroll_per_key_per_min, 1, 1000000)},
      {"ingest_listen", "HOST:PORT of a second listener that serves only the agents' /ingest/v1 (TLS as `listen`); unset: agents use `listen`",
       Str(&Config::ingest_listen)},
      {"ingest_round_ms", "the ingest listener's round: a wake-up serves every agent that arrived within it (0: one wake-up per request)",
       Int(&Config::ingest_round_ms, 0, 1000)},
      {"webhook_denied_networks", "addresses/CIDRs webhooks may not be delivered to, judged after resolving (unspecified, multicast, broadcast and link-local never may)", Str(&Config::webhook_denied_networks), true},
      {"webhook_timeout_ms", "time allowed for one webhook delivery", Int(&Config::webhook_timeout_ms, 100, 120000)},
      {"webhook_ca_file", "PEM bundle https webhooks are verified against; unset: the system's",
       Str(&Config::webhook_ca_file)},
      {"trusted_proxies", "addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed (the client is the right-most address that is not one of them)", Str(&Config::trusted_proxies), true},
      {"enable_test_hooks", "test-only injected clock and route listing; refused by production builds", Bool(&Config::enable_test_hooks)},
      {"demo_data", "JSON lines imported into the demo organization on its first start; unset: the copy built in", Str(&Config::demo_data)},
      {"allow_insecure_permissions", "start even when rampart.db is readable by group or others (refused otherwise, naming the file and its mode)",
       Bool(&Config::allow_insecure_permissions)},
      {"create_demo", "first start: create a demo account, token and organization with sample telemetry (scripts/run turns it on)", Bool(&Config::create_demo)},
  };
  return kSettings;
}

}  // namespace

namespace {

Result<std::pair<std::string, uint16_t>> ParseHostPort(std::string_view setting, const std::string& value) {
  auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Error::Invalid(std::string(setting) + ": expected HOST:PORT, got " + QuoteForDetail(value));
  }
  std::string host = value.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  std::string p = value.substr(colon + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port < 0 || port > 65535) {
    return Error::Invalid(std::string(setting) + ": bad port in " + QuoteForDetail(value));
  }
  return std::pair{host, static_cast<uint16_t>(port)};
}

}  // namespace

Result<std::pair<std::string, uint16_t>> Config::ListenEndpoint() const { return ParseHostPort("listen", listen); }

Result<std::optional<std::pair<std::string, uint16_t>>> Config::IngestListenEndpoint() const {
  if (ingest_listen.empty()) return std::optional<std::pair<std::string, uint16_t>>{};
  RAMPART_TRY(hp, ParseHostPort("ingest_listen", ingest_listen));
  return std::optional{hp};
}

Result<void> ApplySettings(Config& cfg, const std::map<std::string, std::string>& values, const std::string& source) {
  for (const auto& [key, value] : values) {
    const Setting* found = nullptr;
    for (const Setting& s : Settings()) {
      if (key == s.key) found = &s;
    }
    if (!found) return Bad(source, key, "unknown setting");
    auto r = found->field.set(cfg, value);
    if (!r) return Bad(source, key, r.error().detail);
  }
  return {};
}

namespace {

bool IsList(const std::string& key) {
  for (const Setting& s : Settings()) {
    if (key == s.key) return s.list;
  }
  return false;
}

}  // namespace

Result<void> ApplyTomlFile(Config& cfg, const std::string& path) {
  toml::table parsed;
  try {  // config loading is start-up code: toml++ reports errors by exception
    parsed = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error::Invalid(path + ": " + std::string(e.description()));
  }
  std::map<std::string, std::string> values;
  for (const auto& [k, node] : parsed) {
    std::string key(k.str());
    if (auto s = node.value<std::string>(); s && node.is_string()) {
      values[key] = *s;
    } else if (auto i = node.value<int64_t>(); i && node.is_integer()) {
      values[key] = std::to_string(*i);
    } else if (auto b = node.value<bool>(); b && node.is_boolean()) {
      values[key] = *b ? "true" : "false";
    } else if (const toml::array* items = node.as_array(); items && IsList(key)) {
      std::string joined;
      for (const toml::node& item : *items) {
        if (!item.is_string()) return Bad(path, key, "expected an array of strings");
        joined += (joined.empty() ? "" : ",") + item.as_string()->get();
      }
      values[key] = joined;
    } else {
      return Bad(path, key, IsList(key) ? "expected a string or an array of strings" : "expected a string, integer or boolean");
    }
  }
  return ApplySettings(cfg, values, path);
}

Result<void> ApplyEnvironment(Config& cfg, char** envp) {
  std::map<std::string, std::string> values;
  for (char** e = envp; e && *e; ++e) {
    std::string_view kv(*e);
    if (!kv.starts_with("RAMPART_")) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key = AsciiLower(kv.substr(8, eq - 8));
    bool known = false;
    for (const Setting& s : Settings()) known = known || key == s.key;
    if (known) values[key] = std::string(kv.substr(eq + 1));  // other RAMPART_* vars are not settings
  }
  return ApplySettings(cfg, values, "environment");
}

Result<void> Validate(const Config& cfg) {
  RAMPART_CHECK(cfg.ListenEndpoint());
  RAMPART_CHECK(cfg.IngestListenEndpoint());
  if (cfg.expires_date_order != "mdy" && cfg.expires_date_order != "dmy") {
    return Error::Invalid("expires_date_order must be mdy or dmy");
  }
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) return Error::Invalid("tls_cert and tls_key go together");
  if (cfg.data_dir.empty()) return Error::Invalid("data_dir must not be empty");
  if (!cfg.public_base_url.empty() && !cfg.public_base_url.starts_with("http://") &&
      !cfg.public_base_url.starts_with("https://")) {
    return Error::Invalid("public_base_url must start with http:// or https://");
  }
#ifndef RAMPART_TEST_HOOKS
  if (cfg.enable_test_hooks) {
    return Error::Invalid("enable_test_hooks: this is a production build; test hooks are compiled out");
  }
#endif
  return {};
}

std::vector<SettingInfo> ListSettings() {
  std::vector<SettingInfo> out;
  const Config defaults;
  for (const Setting& s : Settings()) {
    out.push_back({s.key, s.help, s.field.show(defaults), s.list ? SettingKind::kList : s.field.kind});
  }
  return out;
}

}  // namespace rampart::app
