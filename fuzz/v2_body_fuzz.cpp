// Untrusted v2 request bodies through the real write path, against an in-memory SQLite store:
// ruleset/rule create and update, rule tags, alert dismiss/undismiss, suppressions, members,
// invites, and the import line parser; plus pagination tokens and from/until values. The first
// input byte picks the operation, the rest is the body.
//
// Invariants: nothing crashes or throws; bad input is a 4xx-class error (never kInternal, which
// would be a 500); every successful write answers with a JSON document.
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/secretbox.hpp"
#include "identity/identity.hpp"
#include "store/store.hpp"
#include "telemetry/alerts_dismiss.hpp"
#include "telemetry/import.hpp"
#include "telemetry/members.hpp"
#include "telemetry/page_token.hpp"
#include "telemetry/rules.hpp"
#include "telemetry/v2_time.hpp"
#include "telemetry/vulns.hpp"

namespace store = rampart::store;
namespace tele = rampart::telemetry;
using rampart::Errc;

namespace {

constexpr const char* kOrg = "0123456789abcdef01234567";

struct World {
  std::unique_ptr<store::Store> db = std::move(*store::OpenSqliteStore({":memory:"}));
  tele::Actor actor{kOrg, "aaaaaaaaaaaaaaaaaaaaaaaa", "owner@example.com", 1767225600000};
  tele::PageTokenCodec codec{"fuzz-token-key-0123456789abcdef"};
  std::string ruleset_id, rule_id;

  rampart::crypto::SecretBox box{std::array<uint8_t, rampart::crypto::SecretBox::kKeyBytes>{}};
  rampart::SystemClock clock;
  std::unique_ptr<rampart::identity::IdentityService> ids =
      std::make_unique<rampart::identity::IdentityService>(*db, box, clock);

  World() {
    // The organization, its owner and a second user that member/invite bodies may name.
    (void)db->CreateOrg({kOrg, "fuzz", actor.now_ms});
    (void)db->CreateUser({actor.user_id, actor.email, actor.now_ms});
    (void)db->CreateUser({"bbbbbbbbbbbbbbbbbbbbbbbb", "new@example.com", actor.now_ms});
    (void)db->PutMembership({actor.user_id, kOrg, "owner"}, std::nullopt);
    auto rs = tele::CreateRuleset(*db, actor, R"({"name":"base","description":"d"})");
    if (!rs) {
      std::fprintf(stderr, "fuzz set-up failed: %s\n", rs.error().detail.c_str());
      std::abort();
    }
    ruleset_id = std::string(boost::json::parse(*rs).at("id").as_string());
    auto r = tele::CreateRule(*db, actor, ruleset_id,
                            R"({"name":"r","type":"host","alertDescription":"x","severityOfAlerts":1})");
    if (r) rule_id = std::string(boost::json::parse(*r).at("id").as_string());
  }
};

void Check(const rampart::Result<std::string>& r) {
  if (r) {
    boost::json::error_code ec;
    (void)boost::json::parse(*r, ec);
    if (ec) __builtin_trap();  // a success is always a JSON document
  } else if (r.error().code == Errc::kInternal) {
    __builtin_trap();  // bad input must never be a 500
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World w;
  if (size == 0) return 0;
  const uint8_t op = data[0];
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (op % 12) {
    case 0: Check(tele::CreateRuleset(*w.db, w.actor, body)); break;
    case 1: Check(tele::UpdateRuleset(*w.db, w.actor, w.ruleset_id, body)); break;
    case 2: Check(tele::CreateRule(*w.db, w.actor, w.ruleset_id, body)); break;
    case 3: Check(tele::UpdateRule(*w.db, w.actor, w.ruleset_id, w.rule_id, body)); break;
    case 4: Check(tele::PutRuleTags(*w.db, w.actor, w.rule_id, body)); break;
    case 5: Check(tele::DismissAlerts(*w.db, *w.db, w.actor, body)); break;
    case 6: Check(tele::UndismissAlerts(*w.db, *w.db, w.actor, body)); break;
    case 7: Check(tele::CreateSuppression(*w.db, w.actor, body)); break;
    case 8: Check(tele::AddMember(*w.ids, w.actor, body)); break;
    case 9: Check(tele::Invite(*w.db, w.actor, body)); break;
    case 10: {
      std::istringstream in{std::string(body)};
      auto r = tele::ImportJsonLines(in, kOrg, *w.db, w.actor.now_ms);
      if (!r && r.error().code == Errc::kInternal) __builtin_trap();
      break;
    }
    default: {
      (void)w.codec.Decode(body);
      if (auto t = tele::ParseInstant(body)) (void)tele::FormatInstant(*t);
      break;
    }
  }
  return 0;
}
