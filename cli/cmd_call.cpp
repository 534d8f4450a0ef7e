// `rampart call [--profile NAME] METHOD URL [--data JSON|@FILE] [--all]`: the v2 (Threat Stack)
// API without writing code (docs/api-v2.md "rampart call"). curl cannot sign Hawk; this signs the
// request (with its payload hash, the organization as `ext`), sends it over HTTP or HTTPS, checks
// the reply's Server-Authorization, and prints the reply's JSON. With --all it follows `token`
// pages and prints one document with every page's items.
//
// Standard output carries only verified replies. Exit status: 0 for a 2xx reply; 1 for any other
// status (the server signs only 2xx, so its body goes to standard error, marked unsigned); 2 for
// missing credentials, bad --data, or no reply (usage errors: CLI11's own codes); 3 when a 2xx
// reply's signature does not verify (nothing is printed: it could come from anyone between).
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>

#include "auth/hawk_client.hpp"
#include "call_profile.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "http/client.hpp"

namespace rampart::cli {
namespace json = boost::json;
namespace {

constexpr size_t kMaxReply = 64u << 20;
constexpr int kMaxPages = 10000;

struct CallArgs {
  std::string method, url, data, profile, profiles, org, user, ca_file;
  bool all = false;
  int timeout_s = 30;
};

// The request body: JSON given inline, or read from a file (`@-`: standard input).
std::string Body(const std::string& data) {
  if (data.empty()) return "";
  std::string text = data;
  if (data[0] == '@') {
    const std::string path = data.substr(1);
    if (path == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) Fail("cannot read " + path, 2);
      text.assign(std::istreambuf_iterator<char>(in), {});
    }
  }
  boost::system::error_code ec;
  json::parse(text, ec);
  if (ec) Fail("--data is not JSON (" + ec.message() + ")", 2);
  return text;
}

// "scheme://authority" and "path?query" of the URL (a bare path is joined to the profile's url).
std::pair<std::string, std::string> Split(const std::string& url, const std::string& base) {
  std::string full = url;
  if (url.starts_with("/")) {
    if (base.empty()) Fail("a bare path needs the server's URL: RAMPART_URL or a profile's url", 2);
    std::string b = base;
    while (!b.empty() && b.back() == '/') b.pop_back();
    full = b + url;
  }
  auto u = boost::urls::parse_absolute_uri(full);
  if (!u) Fail("not a URL: " + full.substr(0, 200), 2);
  std::string target = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  if (u->has_query()) target += "?" + std::string(u->encoded_query());
  return {std::string(u->scheme()) + "://" + std::string(u->encoded_authority()), target};
}

std::string WithToken(const std::string& target, const std::string& token) {
  auto ref = boost::urls::parse_origin_form(target);
  if (!ref) return target;
  boost::urls::url u(*ref);
  u.params().set("token", token);
  return std::string(u.encoded_resource());
}

struct Answer {
  int status = 0;
  std::string body;
};

// One signed exchange; exits on no reply or a signature that does not verify.
Answer Exchange(http::Transport& t, const CallProfile& p, const std::string& method, const std::string& target,
                const std::string& body) {
  const auth::hawk::ClientCredentials creds{p.user, p.key};
  const std::optional<std::string> ct = body.empty() ? std::nullopt : std::optional<std::string>("application/json");
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  auto signed_req = auth::hawk::SignRequest(creds, {method, target, t.host(), t.port(), ct, body, p.org}, now,
                                            auth::hawk::NewNonce());
  http::Outgoing out{method, target, {{"Authorization", signed_req.authorization}, {"Accept", "application/json"}},
                     ct.value_or(""), body};
  http::Reply r = t.Send(out);
  if (r.status == 0) Fail("no reply: " + r.error, 2);
  const bool ok = r.status >= 200 && r.status < 300;
  // A 2xx must be signed. Refusals are not (a 401 cannot be: the server does not know the key)
  // and never reach standard output.
  if (ok) {
    if (!auth::hawk::VerifyServerAuthorization(creds, signed_req, r.server_authorization, r.content_type, r.body,
                                               !r.body.empty())) {
      Fail("the reply's Server-Authorization does not verify (HTTP " + std::to_string(r.status) +
               "): not printed. Is the URL rampart's, and the key this user's?",
           3);
    }
  }
  return {r.status, std::move(r.body)};
}

// Appends the items of `page` to `all` (every array both share) and returns the next token.
std::optional<std::string> Merge(json::object& all, json::object page, bool first) {
  std::optional<std::string> next;
  if (const json::value* tok = page.if_contains("token"); tok && tok->is_string() && !tok->get_string().empty()) {
    next = std::string(tok->get_string());
  }
  if (first) {
    all = std::move(page);
  } else {
    for (auto& [key, value] : page) {
      json::value* mine = all.if_contains(key);
      if (mine && mine->is_array() && value.is_array()) {
        for (auto& item : value.get_array()) mine->get_array().push_back(std::move(item));
      }
    }
  }
  all["token"] = nullptr;
  return next;
}

// A refusal: its (unsigned) body on standard error, then exit 1.
[[noreturn]] void Refused(const Answer& r, int page) {
  std::fprintf(stderr, "%s\n", r.body.substr(0, 4096).c_str());
  Fail("HTTP " + std::to_string(r.status) + (page > 1 ? " on page " + std::to_string(page) : "") +
       " (the body above is unsigned)");
}

[[noreturn]] void Run(const CallArgs& a) {
  auto resolved = ResolveProfile({a.profile, a.profiles, {"", a.org, a.user, "", a.ca_file}});
  if (!resolved) Fail(resolved.error().detail, 2);
  const CallProfile& p = *resolved;
  auto [origin, target] = Split(a.url, p.url);
  auto t = http::Transport::Create(origin, p.ca_file, std::chrono::seconds(a.timeout_s), "rampart-call");
  if (!t) Fail(t.error().detail, 2);
  (*t)->set_max_reply(kMaxReply);
  std::string method = a.method;
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string body = Body(a.data);
  Answer first = Exchange(**t, p, method, target, body);
  const bool ok = first.status >= 200 && first.status < 300;
  if (!ok) Refused(first, 1);
  if (!a.all) {
    std::printf("%s\n", first.body.c_str());
    Exit(0);
  }
  boost::system::error_code ec;
  json::value v = json::parse(first.body, ec);
  if (ec || !v.is_object()) Fail("--all: the reply is not a JSON object", 2);
  json::object all;
  std::optional<std::string> next = Merge(all, std::move(v.get_object()), true);
  std::set<std::string> seen;
  for (int pages = 1; next; ++pages) {
    if (pages >= kMaxPages || !seen.insert(*next).second) Fail("--all: the pages do not end (a token came back)", 2);
    Answer page = Exchange(**t, p, method, WithToken(target, *next), body);
    if (page.status < 200 || page.status >= 300) Refused(page, pages + 1);
    json::value pv = json::parse(page.body, ec);
    if (ec || !pv.is_object()) Fail("--all: a page is not a JSON object", 2);
    next = Merge(all, std::move(pv.get_object()), false);
  }
  std::printf("%s\n", json::serialize(all).c_str());
  Exit(0);
}

}  // namespace

void AddCall(CLI::App& app) {
  auto a = std::make_shared<CallArgs>();
  CLI::App* cmd = app.add_subcommand(
      "call", "Call the v2 (Threat Stack) API: sign with Hawk, send, verify the reply's signature, print its JSON");
  cmd->add_option("method", a->method, "GET, POST, PUT, PATCH or DELETE")
      ->required()
      ->transform(CLI::IsMember({"GET", "POST", "PUT", "PATCH", "DELETE"}, CLI::ignore_case));
  cmd->add_option("url", a->url, "https://host:port/v2/… or a path (/v2/agents) under the profile's url")->required();
  cmd->add_option("--data", a->data, "the JSON body, or @FILE (@- reads standard input)");
  cmd->add_flag("--all", a->all, "follow `token` pages and print every page's items as one document");
  cmd->add_option("--profile", a->profile, "the profile to use (default: [default] when the file exists)");
  cmd->add_option("--profiles", a->profiles, "the profiles file (default $RAMPART_PROFILES or ~/.config/rampart/profiles.toml)");
  cmd->add_option("--org", a->org, "organization id (else RAMPART_ORG_ID or the profile)");
  cmd->add_option("--user", a->user, "user id (else RAMPART_USER_ID or the profile); the key comes only from "
                                     "RAMPART_HAWK_KEY or the profile");
  cmd->add_option("--ca-file", a->ca_file, "trust these anchors for HTTPS instead of the system's");
  cmd->add_option("--timeout", a->timeout_s, "seconds for each request (default 30)")->check(CLI::Range(1, 600));
  cmd->callback([a] { Run(*a); });
}

}  // namespace rampart::cli
