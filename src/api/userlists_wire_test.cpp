#include "api/userlists_wire.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "userlists/check_ioc.hpp"

namespace rampart::api {
namespace {

namespace json = boost::json;
using userlists::ListKind;

std::shared_ptr<const userlists::UserList> List(std::string id, ListKind kind, std::string name, std::string type,
                                                const std::vector<std::string>& values) {
  userlists::UserList l;
  l.id = std::move(id);
  l.kind = kind;
  l.name = std::move(name);
  l.list_type = std::move(type);
  for (const auto& v : values) l.entries.push_back({*userlists::ParseEntryValue(kind, v), "", {}, 0});
  return std::make_shared<const userlists::UserList>(std::move(l));
}

// The answer as the v4.0 documentation spells it, built member by member with boost::json.
json::value Expected(const std::vector<userlists::IocResult>& results, const std::string& base) {
  json::array data;
  for (const auto& r : results) {
    json::array matches;
    for (const auto& m : r.matches) {
      const std::string coll = m.list->kind == ListKind::kIp ? "user_ip_lists" : "user_domain_lists";
      matches.push_back({{"_links", {{"self", {{"href", base + "/v4.0/" + coll + "/" + m.list->id}}}}},
                         {"list_name", m.list->name},
                         {"list_type", m.list->list_type},
                         {"matched_value", m.entry->parsed.value},
                         {"object_id", m.list->id},
                         {"type", coll}});
    }
    data.push_back({{"ioc", r.ioc.text},
                    {"ioc_type", r.ioc.is_ip ? "ip" : "domain"},
                    {"listed", !matches.empty()},
                    {"matches", std::move(matches)}});
  }
  return {{"_data", std::move(data)},
          {"_links", {{"self", {{"href", base + "/v4.0/check_ioc"}}}}},
          {"_meta", {{"count", results.size()}}}};
}

TEST(CheckIocBody, MatchesTheDocumentedShapeWhateverIsMemoized) {
  userlists::AccountLists all;
  all.lists = {List("a1", ListKind::kIp, "blk \"quoted\"", "block", {"8.8.8.0/24", "9.9.9.1-9.9.9.5"}),
               List("b2", ListKind::kIp, "host", "allow", {"8.8.8.8"}),
               List("c3", ListKind::kDomain, "doms\\", "block", {"evil.example"})};
  std::vector<userlists::IocResult> results;
  for (const char* ioc : {"8.8.8.8", "9.9.9.3", "a.b.evil.example", "example", "7.7.7.7", "2001:DB8::1"}) {
    results.push_back(userlists::CheckIoc(all, *userlists::ParseIoc(ioc), SysTime{}));
  }
  ASSERT_EQ(results[0].matches.size(), 2u);
  // Twice per base URL (the second from the memo), then the first base URL again (a memo miss).
  for (const std::string base : {"https://a.example", "https://a.example", "http://b:8080", "https://a.example"}) {
    const std::string body = CheckIocBody(results, base);
    EXPECT_EQ(json::parse(body), Expected(results, base)) << body;
  }
  std::vector<userlists::IocResult> none;
  EXPECT_EQ(json::parse(CheckIocBody(none, "x")), Expected(none, "x"));
}

}  // namespace
}  // namespace rampart::api
