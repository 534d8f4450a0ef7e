#include "api/threatstop_stages.hpp"

#include "userlists/values.hpp"

namespace rampart::api {
using http::beast_http::field;
namespace code = userlists::code;

Step BearerAuthStage::OnHead(const http::Request& head, Exchange& ex) const {
  if (ex.route->access == Access::kPublic) return Step::kNext;
  auto cached = auth_.TryCached(head[field::authorization]);
  if (!cached) return Step::kOffload;
  if (!*cached) {
    ex.reply = cached->error();
    return Step::kAnswer;
  }
  ex.principal = **cached;
  return lists_.Snapshot(ex.principal->account_id) ? Step::kNext : Step::kOffload;
}

Step BearerAuthStage::OnHeadBlocking(const http::Request& head, Exchange& ex) const {
  if (!ex.principal) {
    Result<auth::Principal> who = auth_.Authenticate(head[field::authorization]);
    if (!who) {
      ex.reply = who.error();
      return Step::kAnswer;
    }
    ex.principal = *who;
  }
  if (!lists_.Snapshot(ex.principal->account_id)) {
    auto loaded = lists_.Load(ex.principal->account_id);
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
    return {Errc::kMethodNotAllowed, code::kCollectionDelete, "a collection cannot be deleted"};
  }
  if (v4 && segs.size() == 3 && req.method() == http::Verb::post) {
    return Error::Invalid(code::kObjectIdInPost, "POST request with an object id in the URL");
  }
  return {Errc::kMethodNotAllowed, code::kMethodNotAllowed,
          "method " + std::string(http::beast_http::to_string(req.method())) + " not allowed here"};
}

}  // namespace rampart::api
