#include "api/threatstop_stages.hpp"

#include "userlists/values.hpp"

namespace rampart::api {
using http::beast_http::field;

Step BearerAuthStage::OnHead(const http::Request& head, Exchange& ex) const {
  if (ex.route->access == Access::kPublic) return Step::kNext;
  auto cached = auth_.TryCached(head[field::authorization],
                                proxies_.ClientOf(ex.conn.remote_address, head));
  if (!cached) return Step::kOffload;
  if (!*cached) {
    ex.reply = cached->error();
    return Step::kAnswer;
  }
  ex.principal = **cached;
  return lists_.Snapshot(ex.principal->org_id) ? Step::kNext : Step::kOffload;
}

Step BearerAuthStage::OnHeadBlocking(const http::Request& head, Exchange& ex) const {
  if (!ex.principal) {
    Result<identity::Principal> who = auth_.Authenticate(
        head[field::authorization], proxies_.ClientOf(ex.conn.remote_address, head));
    if (!who) {
      ex.reply = who.error();
      return Step::kAnswer;
    }
    ex.principal = *who;
  }
  if (!lists_.Snapshot(ex.principal->org_id)) {
    auto loaded = lists_.Load(ex.principal->org_id);
    if (!loaded) {
      ex.reply = loaded.error();
      return Step::kAnswer;
    }
  }
  return Step::kNext;
}

Error ThreatstopMethodMismatch(const http::Request& req, const std::vector<std::string_view>& segs) {
  const bool v4 = !segs.empty() && segs[0] == "v4.0";
  if (v4 && segs.size() == 2 && req.method() == http::Verb::delete_) {
    return {Errc::kMethodNotAllowed, Reason::kCollectionDelete, "a collection cannot be deleted"};
  }
  if (v4 && segs.size() == 3 && req.method() == http::Verb::post) {
    return Error::Invalid(Reason::kIdInCollectionPost, "POST request with an object id in the URL");
  }
  return {Errc::kMethodNotAllowed, Reason::kNone,
          "method " + std::string(http::beast_http::to_string(req.method())) + " not allowed here"};
}

}  // namespace rampart::api
