// The zone registry: incremental compilation must give exactly what compiling from scratch gives.
#include <gtest/gtest.h>

#include <random>

#include "rpz/zones.hpp"
#include "store/store.hpp"

namespace rampart::rpz {
namespace {

using userlists::ListKind;

std::shared_ptr<userlists::UserList> List(const char* id, ListKind kind, const char* type,
                                          const std::vector<std::string>& values) {
  auto l = std::make_shared<userlists::UserList>();
  l->id = id;
  l->kind = kind;
  l->list_type = type;
  for (const auto& v : values) l->entries.push_back({*userlists::ParseEntryValue(kind, v), "", {}, 0});
  return l;
}

std::string Text(const ServedZone& z) { return ZoneText(z.soa, z.records); }

TEST(ZoneRegistry, IncrementalEqualsFromScratch) {
  auto db = std::move(*store::OpenSqliteStore({":memory:"}));
  FakeClock clock{SysTime{std::chrono::seconds(1767225600)}};
  ZoneRegistry zones(*db, clock, {"ns.test", 100});
  const std::vector<ZoneSpec> set{{"z.rpz", "a1", "p1",
                                   {{"D1", *ParseAction("nxdomain", "")}, {"D2", *ParseAction("cname", "garden.example")},
                                    {"A", {}}, {"I1", *ParseAction("drop", "")}, {"I2", *ParseAction("nodata", "")}}}};
  std::mt19937 rng(7);
  auto domain = [&] { return "h" + std::to_string(rng() % 40) + ".example"; };
  auto ip = [&]() -> std::string {
    switch (rng() % 3) {
      case 0: return "45.33." + std::to_string(rng() % 4) + "." + std::to_string(rng() % 8);
      case 1: return "45.33." + std::to_string(rng() % 4) + ".0/24";
      default: return "45.33.0." + std::to_string(rng() % 4) + "-45.33.0." + std::to_string(4 + rng() % 6);
    }
  };
  std::map<std::string, std::vector<std::string>> values{{"D1", {}}, {"D2", {}}, {"A", {}}, {"I1", {}}, {"I2", {}}};
  auto snapshot = [&] {
    userlists::AccountLists lists;
    lists.lists = {List("D1", ListKind::kDomain, "block", values["D1"]), List("D2", ListKind::kDomain, "block", values["D2"]),
                   List("A", ListKind::kDomain, "allow", values["A"]), List("I1", ListKind::kIp, "block", values["I1"]),
                   List("I2", ListKind::kIp, "allow", values["I2"])};
    return lists;
  };
  userlists::AccountLists current = snapshot();
  ASSERT_TRUE(zones.Rebuild("a1", set, current));
  for (int step = 0; step < 300; ++step) {
    // Change one list (add or remove a value); keep the other lists' versions (same pointers).
    const char* ids[] = {"D1", "D2", "A", "I1", "I2"};
    const std::string id = ids[rng() % 5];
    auto& v = values[id];
    const std::string value = id[0] == 'I' ? ip() : domain();
    auto it = std::find(v.begin(), v.end(), value);
    if (it == v.end()) {
      v.push_back(value);
    } else {
      v.erase(it);
    }
    userlists::AccountLists next = current;
    auto fresh = snapshot();
    for (size_t i = 0; i < next.lists.size(); ++i) {
      if (next.lists[i]->id == id) next.lists[i] = fresh.lists[i];
    }
    clock.Advance(std::chrono::seconds(1));
    ASSERT_TRUE(zones.Rebuild("a1", set, next));
    current = next;
    // A registry that has never seen this account compiles from scratch: same records, same digest.
    auto db2 = std::move(*store::OpenSqliteStore({":memory:"}));
    ZoneRegistry scratch(*db2, clock, {"ns.test", 100});
    ASSERT_TRUE(scratch.Rebuild("a1", set, current));
    auto a = zones.Find("z.rpz"), b = scratch.Find("z.rpz");
    std::string ta = Text(*a), tb = Text(*b);
    ASSERT_EQ(ta.substr(ta.find("@ IN NS")), tb.substr(tb.find("@ IN NS"))) << "step " << step;
    ASSERT_EQ(a->digest.Hex(), b->digest.Hex()) << "step " << step;
    ASSERT_EQ(a->records.size(), b->records.size());
  }
  // Every step that changed the records left a journal entry that IXFR can serve.
  EXPECT_GT(zones.Find("z.rpz")->journal.size(), 50u);
}

}  // namespace
}  // namespace rampart::rpz
