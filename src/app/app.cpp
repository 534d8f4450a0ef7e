#include "app/app.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "api/api.hpp"
#include "api/errors.hpp"
#include "app/agents.hpp"
#include "app/enforcement.hpp"
#include "app/ingest_listener.hpp"
#include "app/reopenable_sink.hpp"
#include "auth/bearer.hpp"
#include "auth/nonce_cache.hpp"
#include "ratelimit/keyed_limiter.hpp"
#include "base/changes.hpp"
#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "crypto/secretbox.hpp"
#include "base/blocking.hpp"
#include "http/server.hpp"
#include "store/open.hpp"
#include "identity/api_keys.hpp"
#include "identity/identity.hpp"
#include "store/store.hpp"
#include "userlists/service.hpp"

namespace rampart::app {
namespace asio = boost::asio;

namespace {

// Each connection is a descriptor: the soft open-file limit (1,024 by default) is raised toward
// the hard one to fit `max_connections` and the store's and listeners' own files. Past the limit
// accepts fail (the server pauses and keeps serving the connections it has).
void RaiseOpenFileLimit(int64_t max_connections, spdlog::logger& log) {
  constexpr rlim_t kOwnFiles = 1024;
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  const rlim_t want = static_cast<rlim_t>(max_connections) + kOwnFiles;
  if (lim.rlim_cur < want && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = std::min(want, lim.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0) getrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur < want) {
    log.warn("the open-file limit ({}) is below max_connections + {}: connections past it are refused",
             static_cast<uint64_t>(lim.rlim_cur), static_cast<uint64_t>(kOwnFiles));
  }
}

// The endpoint of a HOST:PORT setting that Config has split.
Result<asio::ip::tcp::endpoint> Endpoint(std::string_view setting, const std::pair<std::string, uint16_t>& hp) {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(hp.first, ec);
  if (ec) return Error::Invalid(std::string(setting) + ": bad address " + hp.first);
  return asio::ip::tcp::endpoint{addr, hp.second};
}

std::string MasterKeySource(const std::string& data_dir) {
  if (std::getenv("RAMPART_MASTER_KEY")) return "RAMPART_MASTER_KEY";
  return (std::filesystem::path(data_dir) / "master.key").string();
}

Result<std::unique_ptr<store::Store>> OpenStore(const Config& cfg) {
  return store::Open({.data_dir = cfg.data_dir, .create = true, .allow_insecure_permissions = cfg.allow_insecure_permissions});
}

// The access log; `file` is its sink when it goes to a file (reopened on SIGHUP).
std::shared_ptr<spdlog::logger> MakeAccessLog(const std::string& where, std::shared_ptr<ReopenableFileSink>& file) {
  if (where == "off") return nullptr;
  std::shared_ptr<spdlog::logger> log;
  if (where == "stdout") {
    log = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  } else {
    file = std::make_shared<ReopenableFileSink>(where);
    log = std::make_shared<spdlog::logger>("access", file);
  }
  log->set_pattern("%v");
  log->flush_on(spdlog::level::info);
  return log;
}

Result<std::shared_ptr<asio::ssl::context>> LoadTls(const Config& cfg) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cfg.tls_cert, ec);
  if (ec) return Error::Invalid("tls_cert " + cfg.tls_cert + ": " + ec.message());
  ctx->use_private_key_file(cfg.tls_key, asio::ssl::context::pem, ec);
  if (ec) return Error::Invalid("tls_key " + cfg.tls_key + ": " + ec.message());
  return ctx;
}

// The read pool's size: read_threads, or one per core; never more than the store reads at once.
size_t ReadThreads(const Config& cfg) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<size_t>(std::min(cfg.read_threads > 0 ? cfg.read_threads : cores, store::kConcurrentReads));
}

}  // namespace

struct App::Impl {
  Config cfg;
  std::unique_ptr<Clock> clock;
  FakeClock* test_clock = nullptr;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<crypto::SecretBox> secret_box;  // seals Hawk keys
  std::unique_ptr<identity::IdentityService> identity;
  std::unique_ptr<auth::NonceCache> nonces;
  std::unique_ptr<ratelimit::KeyedLimiter> ip_limit, org_limit;
  std::unique_ptr<telemetry::PageTokenCodec> page_tokens;
  std::unique_ptr<telemetry::AgentDirectory> agents;
  std::unique_ptr<telemetry::TelemetryService> telemetry;
  std::unique_ptr<api::V2Deps> v2;
  // One io_context per I/O thread: a connection lives on one thread and needs no strand.
  // ioc() (the first) also runs the acceptor, signals, the sweeper and shutdown.
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::atomic<size_t> next_ioc{0};
  asio::thread_pool pool;       // writes and other waits (blocking_threads)
  asio::thread_pool read_pool;  // read-only handlers (read_threads; api/call.hpp, Runs::kReads)
  std::shared_ptr<asio::ssl::context> tls;
  std::shared_ptr<ReopenableFileSink> access_file;  // the access log's file, when it has one
  http::Metrics metrics;
  std::unique_ptr<userlists::UserListService> lists;
  std::unique_ptr<identity::ApiKeyService> auth;
  std::unique_ptr<api::Api> api;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<IngestListener> ingest;  // with cfg.ingest_listen
  uint16_t ingest_port = 0;
  std::unique_ptr<Enforcement> enforcement;
  std::unique_ptr<Agents> agents_side;  // enrollment, ingest, liveness (app/agents.hpp)
  uint16_t dns_port = 0;
  std::shared_ptr<spdlog::logger> log;
  std::atomic<bool> stopping{false};
  LocalChangeFeed changes;
  int64_t changes_seen = 0;  // the change log's last entry replayed (ChangeWatcher's only)

  explicit Impl(const Config& c)
      : cfg(c), pool(static_cast<size_t>(c.blocking_threads)), read_pool(ReadThreads(c)) {
    const int n = c.io_threads > 0 ? c.io_threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) {
      iocs.push_back(std::make_unique<asio::io_context>(1));
      guards.push_back(asio::make_work_guard(*iocs.back()));
    }
  }

  asio::io_context& ioc() { return *iocs.front(); }
  asio::any_io_executor PickExecutor() { return iocs[next_ioc.fetch_add(1) % iocs.size()]->get_executor(); }

  asio::awaitable<void> Sweeper() {
    asio::steady_timer timer(ioc());
    while (!stopping.load()) {
      timer.expires_after(std::chrono::seconds(cfg.sweep_interval_s));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (stopping.load()) break;
      auto purged = co_await RunBlocking(pool, [this] { return lists->SweepExpired(); });
      if (!purged) log->warn("expiry sweep failed: {}", purged.error().detail);
      else if (*purged > 0) log->info("expiry sweep removed {} entries", *purged);
      // Keys' last use, kept in memory by the request path, is stored in one batch per sweep.
      auto touched = co_await RunBlocking(pool, [this] { return store->TouchApiKeys(auth->TakeUsage()); });
      if (!touched) log->warn("storing API keys' last use failed: {}", touched.error().detail);
      // By a day every server has read it. The log is stamped by the store's clock, not the injected one.
      const int64_t day_ago = UnixMillis(SystemClock().Now()) - 86400000;
      auto trimmed = co_await RunBlocking(pool, [this, day_ago] { return store->TrimChanges(day_ago); });
      if (!trimmed) log->warn("trimming the change log failed: {}", trimmed.error().detail);
      auto kept = co_await RunBlocking(pool, [this] { return agents_side->ApplyRetention(); });
      if (!kept) log->warn("event and alert retention failed: {}", kept.error().detail);
      else if (kept->events + kept->alerts > 0) log->info("retention removed {} events and {} alerts", kept->events, kept->alerts);
    }
  }

  // What another process changed reaches the caches that hold it (base/changes.hpp).
  void Subscribe() {
    changes.Subscribe(change_topic::kApiKey, [this](const Change& c) { auth->Forget(c.key); });
    changes.Subscribe(change_topic::kUser, [this](const Change& c) { identity->Forget(c.key); });
    changes.Subscribe(change_topic::kAgent, [this](const Change& c) { agents_side->keys().Forget(c.key); });
    changes.Subscribe(change_topic::kOrg, [this](const Change& c) {
      auth->ForgetAll();
      identity->ForgetAll();  // its members' roles in it
      lists->Drop(c.key);
      agents->Invalidate(c.key);
      enforcement->Forget(c.key);  // its zones stop being served
      log->info("organization {} was deleted: its keys, lists, zones and agents are gone from memory", c.key);
    });
  }

  // Replays the store's change log into the feed every change_poll_ms, on the blocking pool.
  asio::awaitable<void> ChangeWatcher() {
    asio::steady_timer timer(ioc());
    while (!stopping.load()) {
      timer.expires_after(std::chrono::milliseconds(cfg.change_poll_ms));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (stopping.load()) break;
      auto replayed = co_await RunBlocking(pool, [this]() -> Result<void> {
        RAMPART_TRY(batch, store->ChangesSince(changes_seen, 1000));
        for (const store::ChangeRecord& c : batch) {
          changes.Publish({c.topic, c.key});
          changes_seen = c.seq;
        }
        return {};
      });
      if (!replayed) log->warn("reading the change log failed: {}", EscapeForLog(replayed.error().detail));
    }
  }

  // SIGHUP: reopen the access log file (logrotate renamed it) and re-read the TLS certificate
  // files; a failed re-read keeps the certificate in use and says why.
  void Reload() {
    if (access_file) access_file->Reopen();
    if (tls) {
      auto fresh = LoadTls(cfg);
      if (!fresh) {
        log->error("SIGHUP: TLS files not reloaded, the current certificate stays: {}", EscapeForLog(fresh.error().detail));
      } else {
        server->SetTls(*fresh);
        if (ingest) ingest->SetTls(*fresh);
        tls = *fresh;
      }
    }
    log->info("SIGHUP: access log reopened{}", tls ? ", TLS certificate re-read" : "");
  }

  size_t active_connections() const {
    return server->active_connections() + (ingest ? ingest->active_connections() : 0);
  }

  asio::awaitable<void> DrainAndStop() {
    server->Stop();
    if (ingest) ingest->Stop();
    enforcement->Stop();
    asio::steady_timer timer(ioc());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (active_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    guards.clear();
    for (auto& io : iocs) io->stop();
    if (ingest) ingest->Close();
  }
};

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

App::~App() {
  if (impl_) {
    impl_->read_pool.join();
    impl_->pool.join();
  }
}

Result<std::unique_ptr<App>> App::Create(const Config& cfg) {
  ::signal(SIGHUP, SIG_IGN);  // until Run() handles it (reload): a HUP during start-up must not kill
  RAMPART_CHECK(Validate(cfg));
  auto impl = std::make_unique<Impl>(cfg);
  impl->log = spdlog::default_logger();
  RaiseOpenFileLimit(cfg.max_connections * (cfg.ingest_listen.empty() ? 1 : 2), *impl->log);  // a cap per listener
  if (cfg.enable_test_hooks) {
    // On a whole second, so "now" in seconds (Hawk ts, DNS serials) is exactly the clock.
    auto fake = std::make_unique<FakeClock>(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    impl->test_clock = fake.get();
    impl->clock = std::move(fake);
    impl->log->warn("TEST HOOKS ENABLED: the clock is injected and can be moved over HTTP");
  } else {
    impl->clock = std::make_unique<SystemClock>();
  }
  RAMPART_TRY(store, OpenStore(cfg));
  impl->store = std::move(store);
  // Secrets sealed with another key (a lost master.key, a wrong RAMPART_MASTER_KEY) would make
  // every Hawk user get 401: refuse to start instead, naming the key. A key is only created for a
  // database that has nothing sealed yet.
  RAMPART_TRY(sealed, impl->store->AnySealedKey());
  RAMPART_TRY(box, LoadMasterKey(cfg.data_dir, "", /*create=*/!sealed));
  if (sealed && !box.Open(*sealed)) {
    return Error::Invalid("the master key (" + MasterKeySource(cfg.data_dir) + ") does not open the secrets sealed in " +
                                 (std::filesystem::path(cfg.data_dir) / "rampart.db").string() +
                                 ": restore the master.key that was used with this database");
  }
  impl->secret_box = std::make_unique<crypto::SecretBox>(box);
  impl->identity = std::make_unique<identity::IdentityService>(*impl->store, *impl->secret_box, *impl->clock,
                                                                cfg.token_cache_ttl_ms);
  impl->nonces = std::make_unique<auth::NonceCache>(static_cast<size_t>(cfg.nonce_cache_capacity), 16,
                                                    static_cast<size_t>(cfg.nonce_cache_per_org));
  const auto max_keys = static_cast<size_t>(cfg.rate_limit_max_keys);
  impl->ip_limit = std::make_unique<ratelimit::KeyedLimiter>(
      ratelimit::LimitConfig{static_cast<uint32_t>(cfg.rate_limit_ip_per_min), std::chrono::minutes(1),
                             std::chrono::seconds(cfg.rate_limit_ip_lockout_s)},
      *impl->clock, max_keys);
  impl->org_limit = std::make_unique<ratelimit::KeyedLimiter>(
      ratelimit::LimitConfig{static_cast<uint32_t>(cfg.rate_limit_org_per_min), std::chrono::minutes(1),
                             std::chrono::seconds(0)},
      *impl->clock, max_keys);
  impl->page_tokens = std::make_unique<telemetry::PageTokenCodec>(impl->secret_box->DeriveKey("v2 page tokens"));
  impl->agents = std::make_unique<telemetry::AgentDirectory>(*impl->store, *impl->page_tokens, *impl->clock,
                                                             cfg.telemetry_cache_ttl_ms);
  impl->telemetry = std::make_unique<telemetry::TelemetryService>(*impl->store, *impl->identity, *impl->page_tokens,
                                                                 *impl->agents, *impl->clock);
  RAMPART_TRY(agents_side, Agents::Create(cfg, *impl->store, *impl->secret_box, *impl->clock, *impl->agents,
                                          *impl->nonces, impl->pool, impl->log));
  impl->agents_side = std::move(agents_side);
  impl->telemetry->SetHooks({.rules_changed = [raw = impl.get()](const std::string& org) {
    raw->agents_side->pipeline().RulesChanged(org);
  }});
  impl->v2 = std::make_unique<api::V2Deps>(api::V2Deps{*impl->identity, *impl->nonces, *impl->ip_limit,
                                                       *impl->org_limit, *impl->clock, *impl->telemetry});
  userlists::ServiceOptions opts;
  opts.max_name_length = static_cast<size_t>(cfg.list_name_max_length);
  opts.date_order = cfg.expires_date_order == "dmy" ? userlists::DateOrder::kDmy : userlists::DateOrder::kMdy;
  impl->lists = std::make_unique<userlists::UserListService>(*impl->store, *impl->clock, opts);
  impl->auth = std::make_unique<identity::ApiKeyService>(*impl->store, *impl->clock,
                                                         std::chrono::milliseconds(cfg.token_cache_ttl_ms));
  // The change log's position before anything is loaded: a change made while loading is replayed.
  RAMPART_TRY(seen, impl->store->LatestChange());
  impl->changes_seen = seen;
  // Load every organization's lists now, so the first requests and the sweeper see everything.
  RAMPART_TRY(orgs, impl->store->ListOrgs());
  for (const auto& o : orgs) RAMPART_CHECK(impl->lists->Load(o.id));
  RAMPART_TRY(denied, ParseNetworks(cfg.notify_denied_networks, "notify_denied_networks"));
  RAMPART_TRY(enforcement, Enforcement::Create(*impl->store, *impl->lists, *impl->clock, *impl->secret_box,
                                               impl->ioc(), impl->pool, impl->log,
                                               {.server_name = cfg.server_name,
                                                .dns_listen = cfg.dns_listen,
                                                .dns_write_timeout_ms = cfg.dns_write_timeout_ms,
                                                .dns_send_buffer_bytes = cfg.dns_send_buffer_bytes,
                                                .notify_denied_networks = std::move(denied),
                                                .notify_targets_per_device = cfg.notify_targets_per_device,
                                                .notify_targets_per_org = cfg.notify_targets_per_org,
                                                .notify_per_org_per_min = cfg.notify_per_org_per_min,
                                                .serial_floor_path =
                                                    (std::filesystem::path(cfg.data_dir) / "zone-serials").string()}));
  impl->enforcement = std::move(enforcement);
  if (!cfg.tls_cert.empty()) {
    RAMPART_TRY(tls, LoadTls(cfg));
    impl->tls = std::move(tls);
  }
  Impl* raw = impl.get();
  impl->Subscribe();
  impl->metrics.SetGauges([raw] {
    auto s = raw->lists->Stats();
    http::Metrics::Gauges g{{"rampart_userlists_lists", static_cast<double>(s.lists)},
                            {"rampart_userlists_entries", static_cast<double>(s.entries)},
                            {"rampart_http_connections", static_cast<double>(raw->active_connections())}};
    for (auto& kv : raw->agents_side->Gauges()) g.push_back(std::move(kv));
    return g;
  });
  api::ApiDeps deps{*impl->lists, *impl->auth, impl->pool, impl->read_pool, impl->metrics, MakeAccessLog(cfg.access_log, impl->access_file),
                    impl->log, [raw] { return !raw->stopping.load(); }, impl->test_clock, impl->v2.get(),
                    &impl->enforcement->deps(), &impl->agents_side->deps(), &impl->agents_side->webhooks()};
  api::V2Config v2cfg{cfg.hawk_skew_s * 1000, cfg.hawk_external_host, cfg.hawk_external_port};
  RAMPART_TRY(proxies, api::TrustedProxies::Parse(cfg.trusted_proxies));
  impl->api = std::make_unique<api::Api>(
      api::ApiConfig{.public_base_url = cfg.public_base_url,
                     .v2 = v2cfg,
                     .trusted_proxies = proxies,
                     .max_body_bytes = static_cast<uint64_t>(cfg.max_body_bytes),
                     .large_body_bytes = static_cast<uint64_t>(cfg.large_body_bytes),
                     .max_large_bodies = static_cast<int>(cfg.max_large_bodies)},
      std::move(deps));
  http::ServerLimits limits{static_cast<size_t>(cfg.max_header_bytes), static_cast<size_t>(cfg.max_body_bytes),
                            std::chrono::milliseconds(cfg.read_timeout_ms), static_cast<size_t>(cfg.max_connections),
                            static_cast<size_t>(cfg.max_connections_per_client),
                            [proxies](const boost::asio::ip::address& a) { return proxies.Contains(a.to_string()); },
                            std::chrono::milliseconds(cfg.header_timeout_ms),
                            std::chrono::milliseconds(cfg.keepalive_timeout_ms)};
  const http::ErrorRenderer render_errors = [](const Error& e, std::optional<std::string_view> target) {
    return api::RenderServerError(e, target);
  };
  impl->server = std::make_unique<http::Server>(
      impl->ioc(), [raw] { return raw->PickExecutor(); }, limits,
      [raw](const http::Request& head, const http::ConnectionInfo& conn) { return raw->api->Admit(head, conn); },
      render_errors, impl->tls);
  if (!cfg.ingest_listen.empty()) {
    impl->ingest = std::make_unique<IngestListener>(
        limits,
        [raw](const http::Request& head, const http::ConnectionInfo& conn) { return raw->api->AdmitIngestOnly(head, conn); },
        render_errors, impl->tls, std::chrono::milliseconds(cfg.ingest_round_ms));
  }
  return std::unique_ptr<App>(new App(std::move(impl)));
}

Result<uint16_t> App::Start() {
  RAMPART_TRY(hp, impl_->cfg.ListenEndpoint());
  RAMPART_TRY(ep, Endpoint("listen", hp));
  RAMPART_TRY(port, impl_->server->Listen(ep));
  RAMPART_TRY(ingest_hp, impl_->cfg.IngestListenEndpoint());
  if (ingest_hp && impl_->ingest) {
    RAMPART_TRY(ingest_ep, Endpoint("ingest_listen", *ingest_hp));
    RAMPART_TRY(ingest_port, impl_->ingest->Listen(ingest_ep));
    impl_->ingest_port = ingest_port;
  }
  RAMPART_TRY(dns, impl_->enforcement->Start());
  impl_->dns_port = dns;
  return port;
}

uint16_t App::dns_port() const { return impl_->dns_port; }

uint16_t App::ingest_port() const { return impl_->ingest_port; }

void App::RequestStop() {
  if (impl_->stopping.exchange(true)) return;
  asio::co_spawn(impl_->ioc(), impl_->DrainAndStop(), asio::detached);
}

void App::Run() {
  asio::signal_set signals(impl_->ioc(), SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) RequestStop();
  });
  asio::signal_set hangups(impl_->ioc(), SIGHUP);
  std::function<void()> on_hangup = [this, &hangups, &on_hangup] {
    hangups.async_wait([this, &on_hangup](const boost::system::error_code& ec, int) {
      if (ec || impl_->stopping.load()) return;
      impl_->Reload();
      on_hangup();
    });
  };
  on_hangup();
  asio::co_spawn(impl_->ioc(), impl_->Sweeper(), asio::detached);
  asio::co_spawn(impl_->ioc(), impl_->ChangeWatcher(), asio::detached);
  asio::co_spawn(impl_->ioc(), impl_->agents_side->FlushLoop(impl_->stopping), asio::detached);
  asio::co_spawn(impl_->ioc(), impl_->agents_side->DeliveryLoop(impl_->stopping), asio::detached);
  asio::co_spawn(impl_->ioc(), impl_->agents_side->FeedLoop(impl_->stopping), asio::detached);
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->iocs.size(); ++i) threads.emplace_back([io = impl_->iocs[i].get()] { io->run(); });
  if (impl_->ingest) impl_->ingest->Start();
  impl_->ioc().run();
  for (auto& t : threads) t.join();
  impl_->read_pool.join();  // in-flight store calls finish before the store closes
  impl_->pool.join();
  impl_->server.reset();
  impl_->ingest.reset();  // joins its thread
  impl_->store.reset();
  impl_->log->info("stopped cleanly");
}

}  // namespace rampart::app
