// Handlers for the ThreatSTOP v4.0 user lists API: decode, call the service, render.
#include "api/userlists_handlers.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <charconv>

#include "api/query.hpp"
#include "api/userlists_wire.hpp"
#include "base/json.hpp"
#include "base/strings.hpp"
#include "userlists/check_ioc.hpp"

namespace rampart::api {
namespace json = boost::json;
using userlists::BodyKind;
using userlists::ListKind;
using userlists::UserListService;

namespace {

userlists::Actor ActorOf(const Call& c) { return {c.principal->org_id, c.principal->Actor()}; }

Result<userlists::AccountListsPtr> Lists(UserListService& svc, const Call& c) {
  if (auto snap = svc.Snapshot(c.principal->org_id)) return snap;
  return svc.Load(c.principal->org_id);  // only reached on the blocking pool (see api.cpp)
}

Result<userlists::ListInput> Decode(UserListService& svc, const Call& c, ListKind kind, BodyKind what) {
  RAMPART_TRY(body, ParseJsonBody(c.req));
  return userlists::ParseListBody(body, kind, what, svc.CurrentParseOptions());
}

Reply Json(http::Status s, json::object body) { return {s, std::move(body), "application/json", {}}; }

Reply Serialized(http::Status s, const std::shared_ptr<const std::string>& body) {
  return {s, nullptr, "application/json", *body};
}


void AddKind(http::Router<Route>& r, UserListService& svc, ListKind kind) {
  const std::string base = std::string("/v4.0/") + CollectionName(kind);
  const std::string tag = CollectionName(kind);
  auto now = [&svc] { return svc.clock().Now(); };

  r.Add(http::Verb::get, base, {.name = tag + ".list", .access = Access::kRead, .fn = [=, &svc](Call& c) -> Result<Reply> {
          RAMPART_TRY(all, Lists(svc, c));
          return Json(http::Status::ok, ListCollection(*all, kind, now(), c.base_url));
        }});
  r.Add(http::Verb::post, base, {.name = tag + ".create", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [=, &svc](Call& c) -> Result<Reply> {
          RAMPART_TRY(in, Decode(svc, c, kind, BodyKind::kCreate));
          RAMPART_TRY(list, svc.Create(ActorOf(c), kind, in));
          return Serialized(http::Status::created, SingleListBody(*list, now(), c.base_url, false));
        }});
  r.Add(http::Verb::get, base + "/{id}", {.name = tag + ".get", .access = Access::kRead, .fn = [=, &svc](Call& c) -> Result<Reply> {
          RAMPART_TRY(all, Lists(svc, c));
          auto list = all->Find(kind, c.params[0]);
          if (!list) return Error::NotFound("no such list " + QuoteForDetail(c.params[0]));
          return Serialized(http::Status::ok, SingleListBody(*list, now(), c.base_url, true));
        }});
  r.Add(http::Verb::patch, base + "/{id}", {.name = tag + ".patch", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [=, &svc](Call& c) -> Result<Reply> {
          RAMPART_TRY(in, Decode(svc, c, kind, BodyKind::kPatch));
          RAMPART_TRY(list, svc.Patch(ActorOf(c), kind, std::string(c.params[0]), in));
          return Serialized(http::Status::ok, SingleListBody(*list, now(), c.base_url, true));
        }});
  r.Add(http::Verb::put, base + "/{id}", {.name = tag + ".put", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [=, &svc](Call& c) -> Result<Reply> {
          RAMPART_TRY(in, Decode(svc, c, kind, BodyKind::kPut));
          RAMPART_TRY(list, svc.Replace(ActorOf(c), kind, std::string(c.params[0]), in));
          return Serialized(http::Status::ok, SingleListBody(*list, now(), c.base_url, true));
        }});
  r.Add(http::Verb::delete_, base + "/{id}", {.name = tag + ".delete", .access = Access::kWrite, .runs = Runs::kBlocking, .fn = [=, &svc](Call& c) -> Result<Reply> {
          RAMPART_TRY(list, svc.Delete(ActorOf(c), kind, std::string(c.params[0])));
          json::object o = ListObject(*list, now(), c.base_url);
          o.erase("_meta");
          return Json(http::Status::ok, {{"_data", json::array{std::move(o)}},
                                         {"_links", {{"self", {{"href", CollectionUrl(c.base_url, kind)}}}}}});
        }});
  r.Add(http::Verb::get, base + "/{id}/history", {.name = tag + ".history", .access = Access::kRead, .runs = Runs::kBlocking, .fn = [=, &svc](Call& c) -> Result<Reply> {
          RAMPART_TRY(all, Lists(svc, c));
          const std::string id(c.params[0]);
          if (!all->Find(kind, id)) return Error::NotFound("no such list " + QuoteForDetail(id));
          return HistoryReply(svc, c, id, CollectionUrl(c.base_url, kind) + "/" + id + "/history");
        }});
}

Result<Reply> CheckIocs(UserListService& svc, Call& c, const std::vector<std::string>& raw) {
  if (raw.empty() || raw.size() > userlists::kMaxIocsPerRequest) {
    return Error::Invalid("between 1 and 10 IOCs per request");
  }
  RAMPART_TRY(all, Lists(svc, c));
  std::vector<userlists::IocResult> results;
  results.reserve(raw.size());
  SysTime now = svc.clock().Now();
  for (const auto& text : raw) {
    RAMPART_TRY(ioc, userlists::ParseIoc(text));
    results.push_back(userlists::CheckIoc(*all, std::move(ioc), now));
  }
  return Reply{http::Status::ok, nullptr, "application/json", CheckIocBody(results, c.base_url)};
}

Result<std::vector<std::string>> IocsFromBody(const json::value& body) {
  auto bad = [] { return Error::Invalid(R"(expected {"iocs":[{"ioc":"…"}]})"); };
  const json::object* obj = body.if_object();
  const json::value* iocs = obj ? obj->if_contains("iocs") : nullptr;
  if (!iocs || !iocs->is_array() || obj->size() != 1) return bad();
  std::vector<std::string> out;
  out.reserve(iocs->get_array().size());
  for (const json::value& v : iocs->get_array()) {
    const json::object* item = v.if_object();
    const json::value* ioc = item ? item->if_contains("ioc") : nullptr;
    if (!ioc || !ioc->is_string() || item->size() != 1) return bad();
    out.emplace_back(ioc->get_string());
  }
  return out;
}

}  // namespace

Result<Reply> HistoryReply(UserListService& svc, const Call& c, const std::string& id, const std::string& self) {
  RAMPART_TRY(page, IntParam(c.req, "page", 1, 1, 1000000));
  RAMPART_TRY(per_page, IntParam(c.req, "per_page", 50, 1, 500));
  RAMPART_TRY(h, svc.AuditPage(c.principal->org_id, id, page, per_page));
  json::array data;
  for (const auto& rec : h.records) data.push_back(AuditEntry(rec));
  return Json(http::Status::ok, {{"_data", std::move(data)},
                                 {"_links", {{"self", {{"href", self}}}}},
                                 {"_meta", {{"count", h.records.size()}, {"page", page},
                                            {"per_page", per_page}, {"total", h.total}}}});
}

Result<json::value> ParseJsonBody(const http::Request& req, json::storage_ptr sp) {
  const std::string_view ct = req[http::beast_http::field::content_type];
  const std::string_view media = Trim(ct.substr(0, ct.find(';')));
  if (!boost::beast::iequals(media, "application/json")) {
    return Error{Errc::kUnsupportedMediaType, Reason::kNone,
                 "Content-Type must be application/json, got " + QuoteForDetail(AsciiLower(media))};
  }
  json::error_code ec;
  json::value v = ParseBoundedJson(req.body(), {.max_items = userlists::kMaxRecords}, ec, std::move(sp));
  if (JsonTooLarge(ec)) {
    return Error::TooLarge(Reason::kTooManyEntries, "more than 32000 items in one array or object of the body; "
                                                 "a request carries at most 32000 addresses");
  }
  if (ec) return Error::Invalid(Reason::kMalformed, "malformed JSON body: " + ec.message());
  return v;
}

void AddUserListRoutes(http::Router<Route>& r, UserListService& svc) {
  AddKind(r, svc, ListKind::kIp);
  AddKind(r, svc, ListKind::kDomain);
  r.Add(http::Verb::post, "/v4.0/check_ioc", {.name = "check_ioc", .access = Access::kRead, .fn = [&svc](Call& c) -> Result<Reply> {
          unsigned char buffer[4096];  // small bodies parse without touching the heap
          json::monotonic_resource mr(buffer, sizeof buffer);
          RAMPART_TRY(body, ParseJsonBody(c.req, &mr));
          RAMPART_TRY(iocs, IocsFromBody(body));
          return CheckIocs(svc, c, iocs);
        }});
  r.Add(http::Verb::get, "/v4.0/check_ioc", {.name = "check_ioc.get", .access = Access::kRead, .fn = [&svc](Call& c) -> Result<Reply> {
          auto ioc = QueryParam(c.req, "ioc");
          if (!ioc) return Error::Invalid("missing query parameter 'ioc'");
          return CheckIocs(svc, c, {*ioc});
        }});
}

}  // namespace rampart::api
