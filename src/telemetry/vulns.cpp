#include "telemetry/vulns.hpp"

#include <boost/json.hpp>

#include <array>

#include "base/strings.hpp"
#include "crypto/crypto.hpp"
#include "telemetry/v2_time.hpp"
#include "telemetry/vuln_docs.hpp"

namespace rampart::telemetry {
namespace json = boost::json;
namespace {

constexpr std::array<const char*, 8> kVulnKeys = {"cveNumber", "reportedPackage", "systemPackage", "vectorType",
                                                  "severity",  "isSuppressed",    "securityNotices", "agents"};

Error Bad(std::string detail) { return Error::Invalid(std::move(detail)); }

bool ValidCve(std::string_view s) {
  if (s.size() < 13 || s.size() > 32 || s.substr(0, 4) != "CVE-" || s[8] != '-') return false;
  for (size_t i = 4; i < s.size(); ++i) {
    if (i != 8 && (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}


}  // namespace

Result<store::VulnRecord> VulnFromJson(const json::value& data, const std::string& org_id, int64_t now_ms) {
  const json::object* o = data.if_object();
  if (!o) return Bad("a vulnerability must be a JSON object");
  for (const auto& [key, val] : *o) {
    bool known = key == "createdAt";
    for (const char* k : kVulnKeys) known = known || key == k;
    if (!known) return Bad("unknown vulnerability field '" + std::string(key) + "'");
  }
  const json::value* cve = o->if_contains("cveNumber");
  if (!cve || !cve->is_string() || !ValidCve(cve->get_string())) return Bad("vulnerability 'cveNumber' must look like CVE-2018-19932");
  const json::value* agents = o->if_contains("agents");
  if (agents && !agents->is_array()) return Bad("vulnerability 'agents' must be an array of {agentId, hostname}");
  if (agents) {
    for (const auto& a : agents->get_array()) {
      const json::value* id = a.is_object() ? a.get_object().if_contains("agentId") : nullptr;
      if (!id || !id->is_string()) return Bad("vulnerability 'agents' must be an array of {agentId, hostname}");
    }
  }
  const json::value* notices = o->if_contains("securityNotices");
  if (notices && !notices->is_array()) return Bad("vulnerability 'securityNotices' must be an array");
  int64_t created = now_ms;
  if (const json::value* c = o->if_contains("createdAt")) {
    auto ms = c->is_string() ? ParseInstant(c->get_string()) : std::nullopt;
    if (!ms) return Bad("vulnerability 'createdAt' must be an ISO-8601 time");
    created = *ms;
  }
  json::object doc;
  for (const char* k : kVulnKeys) {
    const json::value* f = o->if_contains(k);
    doc[k] = f ? *f : json::value(nullptr);
  }
  doc["origin"] = "imported";
  if (!doc["agents"].is_array()) doc["agents"] = json::array{};
  if (!doc["securityNotices"].is_array()) doc["securityNotices"] = json::array{};
  const json::value* sup = o->if_contains("isSuppressed");
  doc["isSuppressed"] = sup && sup->is_bool() && sup->get_bool();
  std::string package;
  if (const json::value* p = o->if_contains("reportedPackage"); p && p->is_string()) {
    std::string_view s = p->get_string();
    package = std::string(s.substr(0, s.find(' ')));
  }
  return store::VulnRecord{org_id, std::string(cve->get_string()), created, doc["isSuppressed"].get_bool(),
                           !doc["securityNotices"].get_array().empty(), package, json::serialize(doc)};
}

Result<std::string> ListVulnsBody(store::Store& store, const PageTokenCodec& codec, const std::string& org_id,
                                  const VulnParams& p, const std::optional<std::string>& package) {
  store::VulnQuery q;
  q.org_id = org_id;
  q.package = package;
  // The filter state a token carries: status, agentId, hasSecurityNotices (package is in the path).
  std::string status = AsciiLower(p.status.value_or(""));  // enum words in any case
  RAMPART_TRY(active, BoolParam(p.active, "active"));
  if (active && !p.status) status = *active ? "active" : "suppressed";
  if (!status.empty() && status != "active" && status != "suppressed") return Bad("status must be active or suppressed");
  RAMPART_TRY(notices, BoolParam(p.has_notices, "hasSecurityNotices"));
  RAMPART_TRY(unfixed, BoolParam(p.unfixed, "unfixed"));
  std::string state = status + "\n" + p.agent_id.value_or("") + "\n" +
                      (notices ? (*notices ? "true" : "false") : "") + "\n" + (unfixed ? (*unfixed ? "true" : "false") : "");
  if (p.token) {
    auto cursor = codec.Decode(*p.token);
    if (!cursor) return Bad("invalid pagination token");
    const bool filters_given = p.status || p.active || p.agent_id || p.has_notices || p.unfixed;
    if (filters_given && state != cursor->filter) return Bad("query parameters do not match the pagination token");
    state = cursor->filter;
    auto nl1 = state.find('\n'), nl2 = state.find('\n', nl1 + 1), nl3 = state.find('\n', nl2 + 1);
    if (nl1 == std::string::npos || nl2 == std::string::npos || nl3 == std::string::npos) {
      return Bad("invalid pagination token");
    }
    status = state.substr(0, nl1);
    std::string agent = state.substr(nl1 + 1, nl2 - nl1 - 1), n = state.substr(nl2 + 1, nl3 - nl2 - 1);
    std::string u = state.substr(nl3 + 1);
    if (!agent.empty()) q.agent_id = agent;
    if (!n.empty()) q.has_notices = n == "true";
    if (!u.empty()) q.unfixed = u == "true";
    q.after = std::make_pair(cursor->last_created_ms, cursor->last_id);
  } else {
    if (p.agent_id && !p.agent_id->empty()) q.agent_id = p.agent_id;
    q.has_notices = notices;
    q.unfixed = unfixed;
  }
  if (!status.empty()) q.suppressed = status == "suppressed";
  q.limit = kVulnPageSize + 1;
  RAMPART_TRY(rows, store.ListVulnerabilities(q));
  RAMPART_CHECK(FillMatchedDocs(store, org_id, rows));
  return PageBody("cves", rows, kVulnPageSize, codec, state);
}

Result<std::string> GetVulnBody(store::Store& store, const std::string& org_id, const std::string& cve) {
  RAMPART_TRY(v, store.GetVulnerability(org_id, cve));
  if (!v) return Error::NotFound("Vulnerability not found: " + cve.substr(0, 64));
  std::vector<store::VulnRecord> one{std::move(*v)};
  RAMPART_CHECK(FillMatchedDocs(store, org_id, one));
  return one[0].doc;
}

Result<std::string> VulnServersBody(store::Store& store, const std::string& org_id, const std::string& cve) {
  RAMPART_TRY(v, store.GetVulnerability(org_id, cve));
  if (!v) return Error::NotFound("Vulnerability not found: " + cve.substr(0, 64));
  std::vector<store::VulnRecord> one{std::move(*v)};
  RAMPART_CHECK(FillMatchedDocs(store, org_id, one));
  json::array servers;
  const json::value doc = json::parse(one[0].doc);  // named: a temporary would die before the loop runs
  for (const auto& a : doc.at("agents").as_array()) {
    json::object s{{"agentId", a.at("agentId")}};
    if (const json::value* h = a.as_object().if_contains("hostname")) s["hostname"] = *h;
    servers.push_back(std::move(s));
  }
  return json::serialize(json::object{{"servers", std::move(servers)}, {"token", nullptr}});
}

Result<std::string> ListSuppressionsBody(store::V2Store& store, const std::string& org_id) {
  RAMPART_TRY(rows, store.ListObjects(org_id, "suppression", ""));
  std::vector<std::string> docs;
  for (auto& r : rows) docs.push_back(std::move(r.doc));
  return DocsBody("suppressions", docs, true);
}

Result<std::string> CreateSuppression(store::V2Store& store, const Actor& actor, std::string_view body) {
  RAMPART_TRY(o, BodyObject(body));
  RAMPART_TRY(cve, OptString(o, "cveNumber"));
  if (!cve || !ValidCve(*cve)) return InvalidField("cveNumber", "Must look like CVE-2018-19932.");
  RAMPART_TRY(reason, OptString(o, "reason"));
  if (reason && reason->size() > 1000) return InvalidField("reason", "Must be at most 1000 characters long.");
  const std::string id = crypto::NewUuidV4();
  json::object doc{{"id", id},
                   {"cveNumber", *cve},
                   {"reason", reason ? json::value(*reason) : json::value(nullptr)},
                   {"createdAt", FormatInstant(actor.now_ms)},
                   {"createdBy", actor.user_id},
                   {"isActive", true}};
  store::ObjectRecord rec{actor.org_id, "suppression", id, *cve, actor.now_ms, json::serialize(doc)};
  store::V2Write w{actor.org_id, {rec}};
  w.set_suppressed.push_back({*cve, true});
  w.audit = AuditFor(actor, "create", "vulnerability.suppression.create", "Suppressed " + *cve,
                     json::object{{"suppressionId", id}, {"cveNumber", *cve}});
  RAMPART_CHECK(store.Commit(w));
  return rec.doc;
}

Result<std::string> DeleteSuppression(store::V2Store& store, const Actor& actor, const std::string& id) {
  RAMPART_TRY(rec, store.GetObject(actor.org_id, "suppression", id));
  if (!rec) return Error::NotFound("Suppression not found: " + id.substr(0, 64));
  RAMPART_TRY(same_cve, store.ListObjects(actor.org_id, "suppression", rec->parent_id));
  store::V2Write w{actor.org_id, {}, {{"suppression", id}}};
  if (same_cve.size() == 1) w.set_suppressed.push_back({rec->parent_id, false});  // the last one goes
  w.audit = AuditFor(actor, "delete", "vulnerability.suppression.delete", "Removed a suppression of " + rec->parent_id,
                     json::object{{"suppressionId", id}, {"cveNumber", rec->parent_id}});
  RAMPART_CHECK(store.Commit(w));
  return std::string("{}");
}

}  // namespace rampart::telemetry
