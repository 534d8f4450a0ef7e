#include "api/api.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "api/errors.hpp"
#include "api/policies_handlers.hpp"
#include "api/userlists_handlers.hpp"
#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "http/blocking.hpp"
#include "http/status.hpp"

namespace rampart::api {
namespace asio = boost::asio;
namespace json = boost::json;
namespace code = userlists::code;
using http::beast_http::field;

Api::Api(ApiConfig cfg, ApiDeps deps) : cfg_(std::move(cfg)), deps_(std::move(deps)) {
  while (!cfg_.public_base_url.empty() && cfg_.public_base_url.back() == '/') cfg_.public_base_url.pop_back();
  AddOperationalRoutes();
  AddUserListRoutes(router_, deps_.lists);
  if (deps_.v2) AddV2Routes(router_, *deps_.v2);
  if (deps_.enforcement) AddPolicyRoutes(router_, *deps_.enforcement);
}

void Api::AddOperationalRoutes() {
  router_.Add(http::Verb::get, "/healthz", {"healthz", false, false, false, [](Call&) -> Result<Reply> {
                return Reply{http::Status::ok, json::object{{"status", "ok"}}, "application/json", {}};
              }});
  router_.Add(http::Verb::get, "/readyz", {"readyz", false, false, false, [this](Call&) -> Result<Reply> {
                if (deps_.ready && !deps_.ready()) return Error::Unavailable("not ready");
                return Reply{http::Status::ok, json::object{{"status", "ready"}}, "application/json", {}};
              }});
  router_.Add(http::Verb::get, "/metrics", {"metrics", false, false, false, [this](Call&) -> Result<Reply> {
                return Reply{http::Status::ok, nullptr, "text/plain; version=0.0.4", deps_.metrics.Render()};
              }});
  if (!deps_.test_clock) return;
  // Test hook: set or advance the injected clock, then run the expiry sweep.
  router_.Add(http::Verb::post, "/_test/clock", {"test.clock", false, false, true, [this](Call& c) -> Result<Reply> {
                RAMPART_TRY(body, ParseJsonBody(c.req));
                const json::object* o = body.if_object();
                const json::value* adv = o ? o->if_contains("advance_seconds") : nullptr;
                if (!adv || !adv->is_int64()) return Error::Invalid(code::kBadParameters, "advance_seconds required");
                deps_.test_clock->Advance(std::chrono::seconds(adv->get_int64()));
                RAMPART_TRY(purged, deps_.lists.SweepExpired());
                return Reply{http::Status::ok,
                             json::object{{"now_ms", UnixMillis(deps_.test_clock->Now())}, {"purged", purged}},
                             "application/json", {}};
              }});
}

}  // namespace rampart::api
