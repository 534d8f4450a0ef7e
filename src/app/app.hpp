#pragma once
// The composition root: the only place that picks concrete implementations (SQLite store,
// system or test clock), wires services, the API and the servers, and owns the threads.
#include <memory>
#include <string>

#include "app/config.hpp"
#include "base/result.hpp"
#include "crypto/secretbox.hpp"
#include "identity/identity.hpp"

namespace rampart::app {

class App {
 public:
  static Result<std::unique_ptr<App>> Create(const Config& cfg);
  ~App();

  // Binds the listeners; returns the bound HTTP port.
  Result<uint16_t> Start();
  // The bound DNS port after Start() (0: DNS is off).
  uint16_t dns_port() const;
  // The bound port of the ingest-only listener after Start() (0: `ingest_listen` is not set).
  uint16_t ingest_port() const;
  // Serves until SIGINT/SIGTERM or RequestStop(); then stops accepting, lets in-flight requests
  // finish (bounded), stops the sweeper, and closes the store.
  void Run();
  void RequestStop();

  struct Impl;

 private:
  explicit App(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The master key that seals Hawk keys and TSIG secrets: RAMPART_MASTER_KEY (base64) if set, else
// `key_file` (default DATA_DIR/master.key), created with mode 0600 when missing and `create`.
Result<crypto::SecretBox> LoadMasterKey(const std::string& data_dir, const std::string& key_file = "", bool create = true);

// What the first start made for a newcomer, shown once.
struct DemoCredentials {
  Secret v4_token;                     // a v4.0 API key that may write lists and policies
  identity::ClientCredentials hawk;    // an owner's Hawk credentials
};

// First start: if the store has no organization, creates "demo" with a v4.0 API key, an owner
// with a Hawk key, and the demo telemetry (`cfg.demo_data` when set, else the copy built into the
// binary). nullopt when organizations already exist.
Result<std::optional<DemoCredentials>> EnsureDemoOrganization(const Config& cfg);

}  // namespace rampart::app
