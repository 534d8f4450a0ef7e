#pragma once
// Server configuration. Sources, lowest precedence first: built-in defaults, the TOML file
// (--config), RAMPART_* environment variables, command-line flags. Loaded and validated once at
// start; an invalid value stops the server with a one-line reason.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace rampart::app {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "data";
  std::string public_base_url;
  int io_threads = 0;        // 0: one per core
  int blocking_threads = 16;  // writes and large-body parsing; mostly waiting on fsync (group commit)
  int read_threads = 0;       // read-only handlers; 0: one per core, at most store::kConcurrentReads
  int64_t max_header_bytes = 16 * 1024;
  int64_t max_body_bytes = 16 * 1024 * 1024;
  int64_t large_body_bytes = 1024 * 1024;  // a body past this needs one of max_large_bodies slots
  int64_t max_large_bodies = 4;            // bounds the memory of authenticated bodies and their parses
  int64_t read_timeout_ms = 30000;
  int64_t max_connections = 20000;
  int64_t max_connections_per_client = 256;  // per client address (IPv6: per /64); 0: no cap
  int64_t header_timeout_ms = 10000;         // the request line and headers must arrive within this
  int64_t keepalive_timeout_ms = 75000;      // a kept connection may wait this long for its next request
  std::string tls_cert;
  std::string tls_key;
  std::string expires_date_order = "mdy";
  int64_t list_name_max_length = 16;  // the guide says 8; its own example uses 9 and 10 (the sample wins)
  int64_t sweep_interval_s = 30;
  int64_t change_poll_ms = 1000;  // how often the change log is read (another process's revocations)
  int64_t token_cache_ttl_ms = 5000;
  int64_t telemetry_cache_ttl_ms = 5000;
  std::string access_log = "stdout";  // stdout | off | a file path
  std::string log_level = "info";
  // Threat Stack v2 surface
  int64_t hawk_skew_s = 60;
  std::string hawk_external_host;  // sign with this host (behind a proxy), else the Host header's
  std::string hawk_external_port;  // sign with this port, e.g. 443 behind a TLS-terminating proxy
  int64_t rate_limit_org_per_min = 200;
  int64_t rate_limit_ip_per_min = 1000;
  int64_t rate_limit_ip_lockout_s = 900;
  int64_t rate_limit_max_keys = 1000000;  // per limiter; least recently seen keys are evicted
  int64_t nonce_cache_capacity = 2000000;
  int64_t nonce_cache_per_org = 0;  // 0: a quarter of nonce_cache_capacity
  std::string notify_denied_networks;     // comma-separated CIDRs no NOTIFY target may be in
  int64_t notify_targets_per_device = 16;
  int64_t notify_targets_per_org = 64;
  int64_t notify_per_org_per_min = 1000;  // NOTIFY rounds (a target of a published version)
  // Agents (docs/ingest.md).
  int64_t event_retention_hours = 72;
  int64_t alert_retention_days = 365;
  int64_t max_events_per_org = 10000000;
  int64_t agent_offline_after_s = 120;
  int64_t agent_flush_interval_s = 15;  // lastReportedAt and status reach the store within this (at most 60)
  int64_t ingest_max_batch_bytes = 4 * 1024 * 1024;      // as sent (gzip)
  int64_t ingest_max_inflated_bytes = 16 * 1024 * 1024;  // once inflated
  int64_t ingest_agent_per_min = 600;
  int64_t ingest_org_per_min = 100000;
  int64_t ingest_ip_per_min = 20000;
  int64_t enroll_per_key_per_min = 60;
  // A second listener that serves only /ingest/v1 (empty: none; agents use `listen`). It runs on
  // its own thread in rounds of `ingest_round_ms` (http/rounds.hpp): a heartbeat waits up to that
  // long, and a wake-up serves every agent that arrived meanwhile.
  std::string ingest_listen;
  int64_t ingest_round_ms = 20;
  std::string webhook_denied_networks;  // comma-separated CIDRs no webhook may be delivered to
  int64_t webhook_timeout_ms = 10000;
  std::string webhook_ca_file;  // PEM bundle for https webhooks; empty: the system's trust store
  std::string trusted_proxies;  // comma-separated addresses/CIDRs whose X-Forwarded-For is believed
  // Enforcement
  std::string server_name = "rampart";        // SOA/NS name; default zones are <policy>.rpz.<server_name>
  std::string dns_listen = "127.0.0.1:5353";  // the RPZ primary (UDP and TCP); "off" disables it
  int64_t dns_write_timeout_ms = 30000;       // a DNS TCP client must accept each message within this
  int64_t dns_send_buffer_bytes = 0;          // SO_SNDBUF of DNS TCP connections; 0: the kernel's autotuning
  bool enable_test_hooks = false;
  bool allow_insecure_permissions = false;  // serve a database readable by group/others
  bool create_demo = false;  // first start: create a demo account and token, and a demo organization
  std::string demo_data;     // telemetry imported into the demo organization; empty: built into the binary

  // Splits `listen` into host and port; error if malformed.
  Result<std::pair<std::string, uint16_t>> ListenEndpoint() const;
  // `ingest_listen`'s; nullopt when it is not set.
  Result<std::optional<std::pair<std::string, uint16_t>>> IngestListenEndpoint() const;
};

// Every setting's key, as used in TOML (key), env (RAMPART_KEY upper-cased) and flags (--key).
// Applies `values` (key -> text) onto `cfg`; unknown keys and bad values are errors.
Result<void> ApplySettings(Config& cfg, const std::map<std::string, std::string>& values, const std::string& source);
Result<void> ApplyTomlFile(Config& cfg, const std::string& path);
Result<void> ApplyEnvironment(Config& cfg, char** envp);
Result<void> Validate(const Config& cfg);
// The single definition of the settings, for `--help`, `rampart settings` (the commented TOML file
// the package installs) and the table in docs/operations.md (a test keeps it equal).
enum class SettingKind { kString, kInteger, kBoolean, kList };
struct SettingInfo {
  std::string key;
  std::string help;
  std::string default_value;  // as a Config{} holds it: "" for an unset string or list
  SettingKind kind;
};
std::vector<SettingInfo> ListSettings();

}  // namespace rampart::app
