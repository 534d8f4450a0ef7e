#include "app/ingest_listener.hpp"

#include "http/rounds.hpp"

namespace rampart::app {

IngestListener::IngestListener(http::ServerLimits limits, http::Admitter admit, http::ErrorRenderer errors,
                               std::shared_ptr<boost::asio::ssl::context> tls, std::chrono::milliseconds round)
    : guard_(boost::asio::make_work_guard(io_)), round_(round) {
  server_ = std::make_unique<http::Server>(
      io_, [this] { return boost::asio::any_io_executor(io_.get_executor()); }, std::move(limits), std::move(admit),
      std::move(errors), std::move(tls));
}

IngestListener::~IngestListener() {
  Close();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

Result<uint16_t> IngestListener::Listen(const boost::asio::ip::tcp::endpoint& ep) {
  auto port = server_->Listen(ep);
  if (!port) return Error::Unavailable("ingest_listen: " + port.error().detail);
  return *port;
}

void IngestListener::Start() {
  thread_ = std::thread([this] { http::RunInRounds(io_, round_); });
}

void IngestListener::Stop() { server_->Stop(); }

void IngestListener::Close() {
  guard_.reset();
  io_.stop();
}

}  // namespace rampart::app
