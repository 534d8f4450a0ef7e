#pragma once
// The stages every surface's chain is made of (chain.hpp): route, authorize, body gate, handler.
// The authentication stages are the surfaces' own (bearer_auth.hpp, hawk_auth.hpp).
#include <mutex>
#include <unordered_map>
#include <functional>
#include <memory>
#include <string>

#include "api/chain.hpp"
#include "http/router.hpp"

namespace rampart::api {

// Finds the route for the method and path. Unknown paths get `not_found(head)`; a known path with
// another method gets `mismatch(head, segments)` and, when that is a 405, the Allow header.
class RouteStage final : public Middleware {
 public:
  using NotFoundFn = Error (*)(const http::Request&);
  using MismatchFn = Error (*)(const http::Request&, const std::vector<std::string_view>&);
  RouteStage(http::Router<Route> router, NotFoundFn not_found, MismatchFn mismatch);
  Step OnHead(const http::Request& head, Exchange& ex) const override;

 private:
  http::Router<Route> router_;
  NotFoundFn not_found_;
  MismatchFn mismatch_;
};

// After authentication: a route that changes data needs a principal that may write.
class AuthorizeStage final : public Middleware {
 public:
  explicit AuthorizeStage(Error denied) : denied_(std::move(denied)) {}
  Step OnHead(const http::Request& head, Exchange& ex) const override;

 private:
  Error denied_;
};

// How many large request bodies may be held and parsed at once, and by one principal (half of
// them, at least one: one tenant cannot hold every slot). Thread-safe. A held slot may outlive
// this object (a session frame can end after the application): its release keeps the state alive.
class LargeBodySlots {
 public:
  explicit LargeBodySlots(int capacity);
  // A held slot (released when the last copy goes), or null when none is free for `holder`.
  std::shared_ptr<void> TryTake(const std::string& holder);

 private:
  struct State {
    std::mutex mu;
    int free = 0;
    int per_holder = 1;
    std::unordered_map<std::string, int> held;
  };
  std::shared_ptr<State> state_;
};

struct BodyRules {
  uint64_t max_body_bytes = 16 * 1024 * 1024;
  uint64_t large_body_bytes = 1024 * 1024;  // a body announced past this (or chunked) needs a slot
  LargeBodySlots* slots = nullptr;          // null: no cap
};

// Last of phase 1: what the body may be, decided on the head before a byte of it is read — none
// on a GET (400), at most the route's limit (413), and a large one only with a free slot (503
// with Retry-After when none is: bodies are what memory is spent on).
class BodyGate final : public Middleware {
 public:
  explicit BodyGate(BodyRules rules) : rules_(rules) {}
  Step OnHead(const http::Request& head, Exchange& ex) const override;
  Step OnRequest(const http::Request& req, Exchange& ex) const override;

 private:
  BodyRules rules_;
};

// Runs the route's handler: its fast path on the I/O thread, then the handler inline or on the
// blocking pool. `public_base_url` (empty: from the Host header) prefixes the replies' links.
class HandlerStage final : public Middleware {
 public:
  HandlerStage(std::string public_base_url, http::Metrics& metrics)
      : public_base_url_(std::move(public_base_url)), metrics_(metrics) {}
  Step OnRequest(const http::Request& req, Exchange& ex) const override;
  Step OnRequestBlocking(const http::Request& req, Exchange& ex) const override;

 private:
  Call CallFor(const http::Request& req, const Exchange& ex) const;
  std::string BaseUrl(const http::Request& req, const http::ConnectionInfo& conn) const;

  std::string public_base_url_;
  http::Metrics& metrics_;
};

}  // namespace rampart::api
