#include "api/userlists_wire.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/json.hpp>

#include "api/json_writer.hpp"

namespace rampart::api {
namespace json = boost::json;
using userlists::ListKind;
using userlists::UserList;

const char* CollectionName(ListKind kind) {
  return kind == ListKind::kIp ? "user_ip_lists" : "user_domain_lists";
}

std::string CollectionUrl(const std::string& base_url, ListKind kind) {
  return base_url + "/v4.0/" + CollectionName(kind);
}

json::value AddressCount(net::U128 n) {
  if (n <= net::U128(UINT64_MAX)) return json::value(static_cast<uint64_t>(n));
  return json::value(static_cast<double>(n));  // IPv6 spans beyond 2^64: a JSON number all the same
}

json::object MetaAddresses(const UserList& l, SysTime now) {
  userlists::Counts c = userlists::CountActive(l, now);
  return {{"address_count", AddressCount(c.addresses)}, {"record_count", c.records}};
}

json::object ListObject(const UserList& l, SysTime now, const std::string& base_url) {
  json::object o;
  o["_links"] = {{"self", {{"href", CollectionUrl(base_url, l.kind) + "/" + l.id}}}};
  o["_meta"] = {{"addresses", MetaAddresses(l, now)}};
  o["description"] = l.description;
  o["expires"] = l.expires ? json::value(l.expires->ToString()) : json::value(nullptr);
  o["list_name"] = l.name;
  o["list_type"] = l.list_type;
  o["object_id"] = l.id;
  o["shared"] = false;
  return o;
}

namespace {

void WriteOptionalDate(JsonWriter& w, const std::optional<Date>& d) {
  if (d) {
    w.String(d->ToString());
  } else {
    w.Null();
  }
}

std::string RenderSingleList(const UserList& l, SysTime now, const std::string& base_url, bool meta) {
  const std::string meta_json = json::serialize(json::object{{"addresses", MetaAddresses(l, now)}});
  std::string out;
  out.reserve(256 + l.entries.size() * 96);
  JsonWriter w(out);
  w.Open().Key("_data").OpenArray().Open();
  w.Key("_links").Open().Key("self").Open().Key("href").String(CollectionUrl(base_url, l.kind) + "/" + l.id).Close().Close();
  w.Key("_meta").Literal(meta_json);
  w.Key("addresses").OpenArray();
  for (const auto& e : l.entries) {
    if (!l.IsActive(e, now)) continue;  // expired, not yet swept
    auto exp = l.EffectiveExpiry(e);
    w.Open().Key("address_type").String(e.parsed.address_type).Key("comments").String(e.comments);
    w.Key("expires");
    WriteOptionalDate(w, exp);
    w.Key("value").String(e.parsed.value).Close();
  }
  w.CloseArray();
  w.Key("description").String(l.description).Key("expires");
  WriteOptionalDate(w, l.expires);
  w.Key("list_name").String(l.name).Key("list_type").String(l.list_type);
  w.Key("object_id").String(l.id).Key("shared").Bool(false);
  w.Close().CloseArray();
  w.Key("_links").Open().Key("self").Open().Key("href").String(CollectionUrl(base_url, l.kind)).Close().Close();
  if (meta) w.Key("_meta").Literal(meta_json);
  w.Close();
  return out;
}

}  // namespace

std::shared_ptr<const std::string> SingleListBody(const UserList& l, SysTime now, const std::string& base_url,
                                                  bool meta) {
  std::string key = base_url + "|" + std::to_string(Date::Of(now).days()) + (meta ? "|m" : "|");
  if (auto hit = l.memo.Find(key)) return hit;
  auto body = std::make_shared<const std::string>(RenderSingleList(l, now, base_url, meta));
  l.memo.Store(std::move(key), body);
  return body;
}

json::object ListCollection(const userlists::AccountLists& all, ListKind kind, SysTime now,
                            const std::string& base_url) {
  json::array data;
  for (const auto& l : all.lists) {
    if (l->kind == kind) data.push_back(ListObject(*l, now, base_url));
  }
  size_t count = data.size();
  return {{"_data", std::move(data)},
          {"_links", {{"self", {{"href", CollectionUrl(base_url, kind)}}}}},
          {"_meta", {{"count", count}}}};
}

json::object AuditEntry(const store::AuditRecord& r) {
  json::error_code ec;
  json::value changes = json::parse(r.changes_json, ec);
  if (ec) changes = json::object{};
  auto secs = r.at_ms / 1000;
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[40];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03dZ", static_cast<int>(r.at_ms % 1000));
  return {{"action", r.action},
          {"at", std::string(when) + ms},
          {"changes", std::move(changes)},
          {"list_name", r.list_name},
          {"object_id", r.list_id},
          // token_id: the key's id as before organizations; other actors ("system", "user:<id>") as is.
          {"token_id", r.actor.rfind("key:", 0) == 0 ? r.actor.substr(4) : r.actor},
          {"actor", r.actor}};
}

namespace {

// A match object is the same for every check_ioc until its list changes, except for the matched
// value: the members around it are memoized on the list version and the base URL.
std::shared_ptr<const userlists::Fragments> MatchFragments(const userlists::UserList& l,
                                                           const std::string& base_url) {
  if (auto hit = l.match_memo.Find(base_url)) return hit;
  userlists::Fragments f;
  JsonWriter head(f.head);
  head.Open().Key("_links").Open().Key("self").Open().Key("href");
  head.String(CollectionUrl(base_url, l.kind) + "/" + l.id).Close().Close();
  head.Key("list_name").String(l.name).Key("list_type").String(l.list_type);
  f.tail = ",";
  JsonWriter tail(f.tail);
  tail.Key("object_id").String(l.id).Key("type").String(CollectionName(l.kind)).Close();
  auto out = std::make_shared<const userlists::Fragments>(std::move(f));
  l.match_memo.Store(base_url, out);
  return out;
}

// The members of an IOC's object after its text: by type and whether anything matched, up to
// the opened "matches" array.
std::string_view IocMembers(bool is_ip, bool listed) {
  static constexpr std::string_view kMembers[2][2] = {
      {R"(,"ioc_type":"domain","listed":false,"matches":[)", R"(,"ioc_type":"domain","listed":true,"matches":[)"},
      {R"(,"ioc_type":"ip","listed":false,"matches":[)", R"(,"ioc_type":"ip","listed":true,"matches":[)"}};
  return kMembers[is_ip][listed];
}

}  // namespace

std::string CheckIocBody(const std::vector<userlists::IocResult>& results, const std::string& base_url) {
  size_t size = 2 * base_url.size() + 96;
  for (const auto& r : results) {
    size += r.ioc.text.size() + 64;
    for (const auto& m : r.matches) size += m.entry->parsed.value.size() + 2 * base_url.size() + 256;
  }
  std::string out;
  out.reserve(size);  // enough for most: growing copies the body written so far
  JsonWriter w(out);
  // The few lists that match, each looked up in its memo once per request.
  boost::container::small_vector<std::pair<const userlists::UserList*, std::shared_ptr<const userlists::Fragments>>, 4> seen;
  auto fragments = [&](const userlists::UserList& l) -> const userlists::Fragments& {
    for (const auto& [list, f] : seen) {
      if (list == &l) return *f;
    }
    return *seen.emplace_back(&l, MatchFragments(l, base_url)).second;
  };
  w.Open().Key("_data").OpenArray();
  for (const auto& r : results) {
    w.Open().Key("ioc").String(r.ioc.text).Continue(IocMembers(r.ioc.is_ip, !r.matches.empty()), true);
    for (const auto& m : r.matches) {
      const userlists::Fragments& f = fragments(*m.list);
      w.OpenWith(f.head).Key("matched_value").String(m.entry->parsed.value).Continue(f.tail, false);
    }
    w.CloseArray().Close();
  }
  w.CloseArray();
  w.Key("_links").Open().Key("self").Open().Key("href").String(base_url + "/v4.0/check_ioc").Close().Close();
  w.Key("_meta").Open().Key("count").Uint(results.size()).Close();
  w.Close();
  return out;
}

}  // namespace rampart::api
