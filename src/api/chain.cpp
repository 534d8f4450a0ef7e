#include "api/chain.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "base/strings.hpp"
#include "base/blocking.hpp"

namespace rampart::api {
namespace asio = boost::asio;
namespace json = boost::json;
using http::beast_http::field;

Chain::Chain(std::vector<std::unique_ptr<Middleware>> stages, ErrorRenderer render_error, ChainDeps deps)
    : stages_(std::move(stages)), render_error_(render_error), deps_(std::move(deps)) {}

asio::awaitable<http::Admission> Chain::Admit(const http::Request& head, std::shared_ptr<Exchange> ex) const {
  bool admitted = true;
  try {  // the stages' OnHead in order (a loop here, not a coroutine of its own: one frame per phase)
    for (const auto& stage : stages_) {
      Step step = stage->OnHead(head, *ex);
      if (step == Step::kOffload || step == Step::kOffloadRead) {
        const Middleware& m = *stage;
        Exchange& x = *ex;
        step = co_await RunBlocking(PoolFor(step), [&] { return m.OnHeadBlocking(head, x); });
      }
      if (step == Step::kAwait) step = co_await stage->OnHeadAsync(head, *ex);
      if (step == Step::kAnswer) {
        admitted = false;
        break;
      }
    }
  } catch (const std::exception& e) {  // a catch-all of the request path (phase 1)
    Failed(*ex, e);
    admitted = false;
  }
  ex->segments.clear();  // views into the head, which phase 2 no longer has
  http::Admission a;
  if (!admitted) {
    a.answer = Complete(*ex, head);
    co_return a;
  }
  if (ex->route && ex->route->max_body_bytes) a.body_limit = ex->route->max_body_bytes;
  // A plain function (not a coroutine lambda): the coroutine it starts owns its arguments.
  a.handle = [this, ex](http::Request&& req) { return Finish(ex, std::move(req)); };
  co_return a;
}

asio::awaitable<http::Response> Chain::Finish(std::shared_ptr<Exchange> ex, http::Request req) const {
  try {  // the stages' OnRequest in order, until one answers
    for (const auto& stage : stages_) {
      Step step = stage->OnRequest(req, *ex);
      if (step == Step::kOffload || step == Step::kOffloadRead) {
        const Middleware& m = *stage;
        Exchange& x = *ex;
        step = co_await RunBlocking(PoolFor(step), [&] { return m.OnRequestBlocking(req, x); });
      }
      if (step == Step::kAwait) {  // not a phase-2 step: fail closed
        ex->reply = Error::Internal("a stage awaited in phase 2");
        step = Step::kAnswer;
      }
      if (step == Step::kAnswer) break;
    }
  } catch (const std::exception& e) {  // a catch-all of the request path (phase 2)
    Failed(*ex, e);
  }
  co_return Complete(*ex, req);
}

asio::thread_pool& Chain::PoolFor(Step offload) const {
  return offload == Step::kOffloadRead ? deps_.read_pool : deps_.pool;
}

void Chain::Failed(Exchange& ex, const std::exception& e) const {
  if (deps_.error_log) deps_.error_log->error("request {} failed: {}", ex.request_id, EscapeForLog(e.what()));
  ex.reply = Error::Internal(e.what());
}

http::Response Chain::Complete(Exchange& ex, const http::Request& req) const {
  ex.held.reset();  // the body is in and handled: its slot is free before the answer is written
  http::Response res = Render(ex, req.version());
  for (const auto& [name, value] : ex.headers) res.set(name, value);
  for (auto it = stages_.rbegin(); it != stages_.rend(); ++it) (*it)->OnResponse(res, ex);
  res.set("X-Request-Id", ex.request_id);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - ex.t0).count();
  deps_.metrics.ObserveRequest(ex.route_name, http::beast_http::to_string(req.method()), res.result_int(), secs);
  Log(req, res, ex, secs);
  return res;
}

http::Response Chain::Render(Exchange& ex, unsigned version) const {
  if (!ex.reply) {
    const Error& e = ex.reply.error();
    if (e.code == Errc::kInternal && deps_.error_log) {
      deps_.error_log->error("request {}: {}", ex.request_id, EscapeForLog(e.detail));
    }
    return render_error_(e, version);
  }
  Reply& r = *ex.reply;
  ex.payload_hash = std::move(r.payload_hash);
  http::Response res{r.status, version};
  res.set(field::content_type, r.content_type);
  if (r.status != http::Status::no_content) {
    if (r.shared_text) {
      res.body().Share(std::move(r.shared_text));
    } else {
      res.body() = r.text.empty() ? json::serialize(r.body) : std::move(r.text);
    }
  }
  for (auto& [name, value] : r.headers) res.set(name, value);
  return res;
}

void Chain::Log(const http::Request& req, const http::Response& res, const Exchange& ex, double seconds) const {
  if (!deps_.access_log) return;
  std::string_view target = req.target();
  json::object line{{"request_id", ex.request_id},
                    {"remote", ex.conn.remote_address},
                    {"method", http::beast_http::to_string(req.method())},
                    {"path", target.substr(0, std::min(target.find('?'), size_t{512}))},
                    {"route", ex.route_name},
                    {"status", res.result_int()},
                    {"bytes", res.body().size()},
                    {"duration_ms", seconds * 1000.0},
                    {"org_id", ex.principal ? ex.principal->org_id : std::string()}};
  if (!ex.reply) line["error"] = ErrcName(ex.reply.error().code);
  deps_.access_log->info(json::serialize(line));
}

}  // namespace rampart::api
