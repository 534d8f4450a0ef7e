// `rampart admin key …`: v4.0 API keys of an organization (the vendor's "API Keys page"): per-service
// permissions, an expiry, allowed client networks. `token …`, the old spelling, stays for one
// release. Secrets are shown once, at creation; listing never prints one.
#include <charconv>
#include <memory>

#include "auth/bearer.hpp"
#include "base/date.hpp"
#include "base/strings.hpp"
#include "common.hpp"
#include "commands.hpp"
#include "identity/api_keys.hpp"
#include "identity/orgs.hpp"

namespace rampart::cli {
namespace json = boost::json;
namespace {

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

json::value OptMs(const std::optional<int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

// `legacy`: the old `token` spelling also gets the keys its output had (account_id, perm).
json::object KeyJson(const store::ApiKeyRecord& k, bool legacy = false) {
  json::array nets;
  if (!k.networks.empty()) {
    for (std::string_view n : SplitView(k.networks, ',')) nets.push_back(json::value(n));
  }
  json::object o{{"id", k.id},
          {"org_id", k.org_id},
          {"perms", k.perms},
          {"networks", std::move(nets)},
          {"description", k.description},
          {"created_at_ms", k.created_at_ms},
          {"expires_at_ms", OptMs(k.expires_at_ms)},
          {"last_used_at_ms", OptMs(k.last_used_at_ms)},
          {"revoked", k.revoked_at_ms.has_value()}};
  if (legacy) {
    o["account_id"] = k.org_id;
    o["perm"] = k.perms == "userlists:write,policies:write" ? "userlists:write"
                : k.perms == "userlists:read,policies:read" ? "userlists:read"
                                                             : k.perms;
  }
  return o;
}

struct Args {
  Common c;
  std::string org, perm, expires, description, networks, id;
};

// The old `token --perm`: userlists:write was every write the API had (lists, then policies).
std::string LegacyPerm(const std::string& perm) {
  if (perm == "userlists:write") return "write";
  if (perm == "userlists:read") return "read";
  Fail("--perm must be userlists:read or userlists:write");
}

void Create(const Args& a, bool legacy) {
  auto s = OpenDataStore(a.c.data_dir);
  SystemClock clock;
  const store::OrgRecord org = Must(identity::FindOrg(*s, a.org));
  identity::KeySpec spec{.perms = Must(auth::ParsePermissions(legacy ? LegacyPerm(a.perm) : a.perm)),
                         .networks = Must(identity::ParseNetworks(a.networks)),
                         .description = a.description,
                         .expires = std::nullopt};
  if (!a.expires.empty()) spec.expires = ParseExpires(a.expires, clock.Now());
  identity::ApiKeyService keys(*s, clock, std::chrono::milliseconds(0));
  identity::IssuedKey k = Must(keys.Create(org.id, spec));
  json::object o = KeyJson(k.record, legacy);
  o["token"] = k.token.Reveal();
  Print(a.c.json_out, o, k.token.Reveal());
}

void List(const Args& a, bool legacy) {
  auto s = OpenDataStore(a.c.data_dir);
  json::array arr;
  std::string text;
  for (const auto& k : Must(s->ListApiKeys(Must(identity::FindOrg(*s, a.org)).id))) {
    arr.push_back(KeyJson(k, legacy));
    text += k.id + "  " + k.perms + (k.networks.empty() ? "" : "  from " + k.networks) +
            (k.revoked_at_ms ? "  revoked" : "") + "  " + k.description + "\n";
  }
  if (!text.empty()) text.pop_back();
  Print(a.c.json_out, arr, text);
}

void Revoke(const Args& a) {
  auto s = OpenDataStore(a.c.data_dir);
  if (!Must(s->RevokeApiKey(a.id, UnixMillis(SystemClock().Now())))) Fail("no such active key: " + a.id);
  Print(a.c.json_out, json::object{{"id", a.id}, {"revoked", true}}, "revoked " + a.id);
}

void AddKeyCommands(CLI::App* admin, const char* name, bool legacy) {
  CLI::App* key = admin->add_subcommand(name, legacy ? "Old spelling of `key` (one more release)"
                                                     : "v4.0 API keys of an organization")
                      ->require_subcommand(1);
  auto a = std::make_shared<Args>();
  const char* org_option = legacy ? "--account" : "--org";
  CLI::App* create = key->add_subcommand("create", "Create a key (its secret is shown once)");
  create->add_option(org_option, a->org, "organization id or name")->required();
  create->add_option("--perm", a->perm, legacy ? "userlists:read or userlists:write"
                                               : "per service: userlists:read,policies:write (or read, write)")
      ->required();
  create->add_option("--expires", a->expires, "lifetime (30d, 12h, 90m) or YYYY-MM-DD");
  create->add_option("--description", a->description, "what the key is for");
  if (!legacy) create->add_option("--networks", a->networks, "client networks it may be used from (CIDRs, comma-separated)");
  AddCommon(create, a->c);
  create->callback([a, legacy] {
    if (legacy) Renamed("token create --account", "key create --org");
    Create(*a, legacy);
  });
  CLI::App* list = key->add_subcommand("list", "List an organization's keys (never their secrets)");
  list->add_option(org_option, a->org, "organization id or name")->required();
  AddCommon(list, a->c);
  list->callback([a, legacy] {
    if (legacy) Renamed("token list --account", "key list --org");
    List(*a, legacy);
  });
  CLI::App* revoke = key->add_subcommand("revoke", "Revoke a key");
  revoke->add_option("id", a->id, "key id (the 16 hex characters after rpt_)")->required();
  AddCommon(revoke, a->c);
  revoke->callback([a, legacy] {
    if (legacy) Renamed("token revoke", "key revoke");
    Revoke(*a);
  });
}

}  // namespace

void AddApiKeys(CLI::App* admin) {
  AddKeyCommands(admin, "key", false);
  AddKeyCommands(admin, "token", true);
}

}  // namespace rampart::cli
