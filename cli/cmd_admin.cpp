// `rampart admin …`: accounts, API tokens and the audit trail, straight in the data directory
// (safe while the server runs: SQLite WAL with a busy timeout).
#include <boost/json.hpp>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "auth/bearer.hpp"
#include "base/date.hpp"
#include "common.hpp"
#include "commands.hpp"
#include "crypto/crypto.hpp"
#include "net/domain_name.hpp"
#include "store/store.hpp"

namespace rampart::cli {
namespace json = boost::json;
namespace {

struct Common {
  std::string data_dir = "data";
  bool json_out = false;
};

std::unique_ptr<store::Store> Open(const Common& c, bool create = false) { return OpenDataStore(c.data_dir, create); }

void Print(const Common& c, const json::value& v, const std::string& text) {
  std::printf("%s\n", c.json_out ? json::serialize(v).c_str() : text.c_str());
  std::exit(0);
}

store::AccountRecord FindAccount(store::Store& s, const std::string& key) {
  auto a = Must(s.FindAccount(key));
  if (!a) Fail("no such account: " + key);
  return *a;
}

// "30d", "12h", "45m" from now, or an absolute YYYY-MM-DD (end of that day, UTC).
SysTime ParseExpires(const std::string& v, SysTime now) {
  if (v.size() >= 2) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size() - 1, n);
    if (ec == std::errc() && p == v.data() + v.size() - 1 && n > 0) {
      switch (v.back()) {
        case 'd': return now + std::chrono::hours(24 * n);
        case 'h': return now + std::chrono::hours(n);
        case 'm': return now + std::chrono::minutes(n);
        default: break;
      }
    }
  }
  if (auto d = ParseIsoDate(v)) return d->EndOfDay();
  Fail("--expires: expected e.g. 30d, 12h, 90m or YYYY-MM-DD, got '" + v + "'");
}

json::object TokenJson(const store::TokenRecord& t) {
  return {{"id", t.id},
          {"account_id", t.account_id},
          {"perm", t.perm},
          {"description", t.description},
          {"created_at_ms", t.created_at_ms},
          {"expires_at_ms", t.expires_at_ms ? json::value(*t.expires_at_ms) : json::value(nullptr)},
          {"revoked", t.revoked_at_ms.has_value()}};
}

void AddCommon(CLI::App* cmd, Common& c) {
  cmd->add_option("--data-dir", c.data_dir, "data directory (holds rampart.db)");
  cmd->add_flag("--json", c.json_out, "machine-readable output");
}

void AddAccountCommands(CLI::App* admin) {
  CLI::App* account = admin->add_subcommand("account", "Manage accounts")->require_subcommand(1);
  auto c = std::make_shared<Common>();
  auto name = std::make_shared<std::string>();
  CLI::App* create = account->add_subcommand("create", "Create an account");
  create->add_option("name", *name, "account name (unique)")->required();
  AddCommon(create, *c);
  create->callback([c, name] {
    auto s = Open(*c, /*create=*/true);
    store::AccountRecord a{crypto::NewUuidV4(), *name, UnixMillis(SystemClock().Now())};
    if (auto r = s->CreateAccount(a); !r) Fail(r.error().ext == 19000 ? "account name already in use: " + *name : r.error().detail);
    const std::string suffix = Must(s->FindAccount(a.id))->zone_suffix;
    Print(*c, json::object{{"id", a.id}, {"name", a.name}, {"zone_suffix", suffix}},
          "created account " + a.name + " (" + a.id + "), zone suffix " + suffix);
  });
  CLI::App* list = account->add_subcommand("list", "List accounts");
  AddCommon(list, *c);
  list->callback([c] {
    auto s = Open(*c);
    json::array arr;
    std::string text;
    for (const auto& a : Must(s->ListAccounts())) {
      arr.push_back(json::object{{"id", a.id}, {"name", a.name}, {"created_at_ms", a.created_at_ms},
                                 {"zone_suffix", a.zone_suffix}});
      text += a.id + "  " + a.name + "  zones under " + a.zone_suffix + ".rpz.<server_name>\n";
    }
    if (!text.empty()) text.pop_back();
    Print(*c, arr, text);
  });
  // An operator's grant: the account may name zones under this domain too (its own suffix always).
  auto account_key = std::make_shared<std::string>();
  auto suffix = std::make_shared<std::string>();
  CLI::App* grant = account->add_subcommand("grant-zone-suffix", "Let an account name RPZ zones under a domain");
  grant->add_option("--account", *account_key, "account id or name")->required();
  grant->add_option("--suffix", *suffix, "a domain, e.g. rpz.example.com")->required();
  AddCommon(grant, *c);
  grant->callback([c, account_key, suffix] {
    auto s = Open(*c);
    const store::AccountRecord a = FindAccount(*s, *account_key);
    net::DomainParse d = net::NormalizeDomain(*suffix, 200);
    if (!d.ok) Fail("not a domain name: " + *suffix);
    if (auto r = s->GrantZoneSuffix(a.id, d.value); !r) {
      Fail(r.error().ext == 19000 ? "suffix already granted: " + d.value : r.error().detail);
    }
    Print(*c, json::object{{"account_id", a.id}, {"suffix", d.value}}, "granted " + d.value + " to " + a.name);
  });
}

void AddTokenCommands(CLI::App* admin) {
  CLI::App* token = admin->add_subcommand("token", "Manage API tokens")->require_subcommand(1);
  auto c = std::make_shared<Common>();
  struct Args {
    std::string account, perm, expires, description, id;
  };
  auto a = std::make_shared<Args>();
  CLI::App* create = token->add_subcommand("create", "Create a token (shown once)");
  create->add_option("--account", a->account, "account id or name")->required();
  create->add_option("--perm", a->perm, "userlists:read or userlists:write")
      ->required()
      ->check(CLI::IsMember({auth::kPermRead, auth::kPermWrite}));
  create->add_option("--expires", a->expires, "lifetime (30d, 12h, 90m) or YYYY-MM-DD");
  create->add_option("--description", a->description, "what the token is for");
  AddCommon(create, *c);
  create->callback([c, a] {
    auto s = Open(*c);
    auto acct = FindAccount(*s, a->account);
    SysTime now = SystemClock().Now();
    std::optional<SysTime> expires;
    if (!a->expires.empty()) expires = ParseExpires(a->expires, now);
    auth::IssuedToken t = auth::IssueToken(acct.id, a->perm, a->description, expires, now);
    if (auto r = s->CreateToken(t.record); !r) Fail(r.error().detail);
    json::object o = TokenJson(t.record);
    o["token"] = t.token;
    Print(*c, o, t.token);
  });
  CLI::App* list = token->add_subcommand("list", "List an account's tokens (never their secrets)");
  list->add_option("--account", a->account, "account id or name")->required();
  AddCommon(list, *c);
  list->callback([c, a] {
    auto s = Open(*c);
    json::array arr;
    std::string text;
    for (const auto& t : Must(s->ListTokens(FindAccount(*s, a->account).id))) {
      arr.push_back(TokenJson(t));
      text += t.id + "  " + t.perm + (t.revoked_at_ms ? "  revoked" : "") + "  " + t.description + "\n";
    }
    if (!text.empty()) text.pop_back();
    Print(*c, arr, text);
  });
  CLI::App* revoke = token->add_subcommand("revoke", "Revoke a token");
  revoke->add_option("id", a->id, "token id (the 16 hex characters after rpt_)")->required();
  AddCommon(revoke, *c);
  revoke->callback([c, a] {
    auto s = Open(*c);
    if (!Must(s->RevokeToken(a->id, UnixMillis(SystemClock().Now())))) Fail("no such active token: " + a->id);
    Print(*c, json::object{{"id", a->id}, {"revoked", true}}, "revoked " + a->id);
  });
}

void AddAuditCommand(CLI::App* admin) {
  auto c = std::make_shared<Common>();
  auto account = std::make_shared<std::string>();
  auto list = std::make_shared<std::string>();
  auto limit = std::make_shared<int64_t>(50);
  CLI::App* audit = admin->add_subcommand("audit", "Read the audit trail, newest first");
  audit->add_option("--account", *account, "account id or name")->required();
  audit->add_option("--list", *list, "only this list (object id)");
  audit->add_option("--limit", *limit, "how many records")->check(CLI::Range(1, 100000));
  AddCommon(audit, *c);
  audit->callback([c, account, list, limit] {
    auto s = Open(*c);
    json::array arr;
    std::string text;
    for (const auto& r : Must(s->ReadAudit(FindAccount(*s, *account).id, *list, 0, *limit))) {
      json::error_code ec;
      json::value changes = json::parse(r.changes_json, ec);
      arr.push_back(json::object{{"id", r.id}, {"at_ms", r.at_ms}, {"action", r.action}, {"list_id", r.list_id},
                                 {"list_kind", r.list_kind}, {"list_name", r.list_name}, {"token_id", r.token_id},
                                 {"changes", ec ? json::value(nullptr) : changes}});
      text += std::to_string(r.at_ms) + "  " + r.action + "  " + r.list_kind + "/" + r.list_name + "  by " +
              r.token_id + "  " + r.changes_json + "\n";
    }
    if (!text.empty()) text.pop_back();
    Print(*c, arr, text);
  });
}

// `rampart admin check`: the database's consistency check, explained. Exit 0 when sound, 1 when
// not (run it with the server stopped, or on a copy, after a crash or a restore).
void AddCheckCommand(CLI::App* admin) {
  auto c = std::make_shared<Common>();
  CLI::App* check = admin->add_subcommand("check", "Check the database's integrity (after a crash or a restore)");
  AddCommon(check, *c);
  check->callback([c] {
    auto s = Open(*c);
    const std::vector<std::string> lines = Must(s->CheckIntegrity());
    const bool ok = lines == std::vector<std::string>{"ok"};
    json::array problems;
    for (const auto& l : lines) {
      if (!ok) problems.push_back(json::value(l));
    }
    std::string text = ok ? "ok: the database is consistent (integrity_check and foreign_key_check found nothing)"
                          : "the database is damaged; restore it from a backup (docs/operations.md). Found:";
    for (const auto& l : problems) text += "\n  " + std::string(l.as_string());
    if (ok) Print(*c, json::object{{"ok", true}, {"problems", problems}}, text);
    std::printf("%s\n", c->json_out ? json::serialize(json::object{{"ok", false}, {"problems", problems}}).c_str()
                                     : text.c_str());
    std::exit(1);
  });
}

}  // namespace

void AddAdmin(CLI::App& root) {
  CLI::App* admin = root.add_subcommand("admin", "Accounts, API tokens and the audit trail")->require_subcommand(1);
  AddAccountCommands(admin);
  AddTokenCommands(admin);
  AddAuditCommand(admin);
  AddCheckCommand(admin);
  AddIdentity(admin);
  AddImport(admin);
}

}  // namespace rampart::cli
