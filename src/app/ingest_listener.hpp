#pragma once
// The ingest-only listener (`ingest_listen`; docs/ingest.md "Where agents connect"): an
// http::Server on an io_context of its own, run by a thread of its own in rounds
// (http/rounds.hpp), so that one wake-up serves every agent that arrived within a round. What it
// admits is decided by `admit` (the app passes api::Api::AdmitIngestOnly).
//
// Life: Listen, Start (the thread), Stop (no new connections; idle ones closed), Close once the
// drain is over (the thread returns); the destructor joins the thread.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "base/result.hpp"
#include "http/server.hpp"

namespace rampart::app {

class IngestListener {
 public:
  IngestListener(http::ServerLimits limits, http::Admitter admit, http::ErrorRenderer errors,
                 std::shared_ptr<boost::asio::ssl::context> tls, std::chrono::milliseconds round);
  ~IngestListener();
  IngestListener(const IngestListener&) = delete;
  IngestListener& operator=(const IngestListener&) = delete;

  // Binds; errors name the setting ("ingest_listen: …").
  Result<uint16_t> Listen(const boost::asio::ip::tcp::endpoint& ep);
  void Start();
  void Stop();
  void Close();
  void SetTls(std::shared_ptr<boost::asio::ssl::context> ctx) { server_->SetTls(std::move(ctx)); }
  size_t active_connections() const { return server_->active_connections(); }

 private:
  boost::asio::io_context io_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::unique_ptr<http::Server> server_;  // destroyed before io_
  std::chrono::milliseconds round_;
  std::thread thread_;
};

}  // namespace rampart::app
