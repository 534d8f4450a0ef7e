#include "userlists/check_ioc.hpp"

#include <gtest/gtest.h>

#include <random>

namespace rampart::userlists {
namespace {

std::shared_ptr<const UserList> DomainList(const std::vector<std::string>& names) {
  UserList l;
  l.id = "d";
  l.kind = ListKind::kDomain;
  for (const auto& n : names) l.entries.push_back({*ParseEntryValue(ListKind::kDomain, n), "", {}, 0});
  return std::make_shared<const UserList>(std::move(l));
}

bool OracleDomainMatch(const std::vector<std::string>& names, const std::string& q) {
  for (const auto& n : names) {
    if (q == n || (q.size() > n.size() && q.ends_with("." + n))) return true;
  }
  return false;
}

}  // namespace

TEST(CheckIoc, DomainSuffixMatchingAgreesWithBruteForce) {
  std::mt19937 rng(3);
  const std::vector<std::string> labels = {"a", "b", "ex", "evil", "com", "net", "x-y"};
  auto rand_name = [&](int max_labels) {
    std::string s;
    int n = 1 + static_cast<int>(rng() % max_labels);
    for (int i = 0; i < n; ++i) s += (i ? "." : "") + labels[rng() % labels.size()];
    return s;
  };
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> names;
    for (int i = 0; i < 30; ++i) names.push_back(rand_name(3));
    AccountLists all;
    all.lists.push_back(DomainList(names));
    for (int q = 0; q < 500; ++q) {
      std::string query = rand_name(5);
      auto ioc = ParseIoc(query);
      ASSERT_TRUE(ioc);
      bool got = !CheckIoc(all, *ioc, SysTime{}).matches.empty();
      EXPECT_EQ(got, OracleDomainMatch(names, query)) << query;
    }
  }
}

TEST(CheckIoc, ParsesIocs) {
  EXPECT_TRUE(ParseIoc("1.2.3.4")->is_ip);
  EXPECT_EQ(ParseIoc("2600:1F18::1")->text, "2600:1f18::1");
  EXPECT_EQ(ParseIoc("WWW.Example.com.")->text, "www.example.com");
  EXPECT_FALSE(ParseIoc("not a thing"));
  EXPECT_FALSE(ParseIoc("1.2.3.0/24"));
}

}  // namespace rampart::userlists
