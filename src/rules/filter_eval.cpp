// Compiling the AST into checks, and evaluating them against events.
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "base/strings.hpp"
#include "rules/filter.hpp"

namespace rampart::rules {
namespace json = boost::json;
namespace {

// agents-anchors.md §2.2, and the fields rampart's events carry under the same names.
constexpr std::array<std::string_view, 52> kKnownKeys = {
    "event_type", "agent", "agent_id", "hostname", "cwd", "timestamp", "exe", "command", "arguments", "pid",
    "ppid", "parent_exe", "user", "uid", "auid", "euid", "group", "gid", "groups", "syscall", "success", "tty",
    "session", "key", "src_ip", "dst_ip", "src_port", "dst_port", "protocol", "ip", "port", "domain",
    "connection.addr", "connection.port", "connection.src_addr", "connection.src_port", "connection.dst_addr",
    "connection.dst_port", "filename", "path", "action", "sigid", "comment", "log", "level", "location",
    "module", "login_type", "remote_addr", "mode", "owner", "agent_version"};

constexpr std::array<std::string_view, 7> kAddressKeys = {
    "src_ip", "dst_ip", "ip", "connection.addr", "connection.src_addr", "connection.dst_addr", "remote_addr"};

// Where a key's values are found in an event: the key itself, then its aliases.
std::vector<std::string> PathsOf(std::string_view key) {
  if (key == "ip") return {"src_ip", "dst_ip", "connection.addr", "connection.dst_addr", "connection.src_addr"};
  if (key == "port") return {"src_port", "dst_port", "connection.port", "connection.dst_port", "connection.src_port"};
  if (key == "connection.addr") return {"connection.addr", "connection.dst_addr"};
  if (key == "connection.dst_addr") return {"connection.dst_addr", "connection.addr"};
  if (key == "connection.port") return {"connection.port", "connection.dst_port"};
  if (key == "connection.dst_port") return {"connection.dst_port", "connection.port"};
  return {std::string(key)};
}

}  // namespace

const json::value* FindField(const json::object& event, std::string_view path) {
  if (const json::value* v = event.if_contains(path)) return v;
  const json::object* at = &event;
  const json::value* v = nullptr;
  for (std::string_view part : SplitView(path, '.')) {
    if (!at) return nullptr;
    v = at->if_contains(part);
    if (!v) return nullptr;
    at = v->if_object();
  }
  return v;
}

// A double as text: a whole one as an integer ("42"), else the shortest round-trip form.
std::string NumberText(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return std::to_string(static_cast<int64_t>(d));
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

namespace {

// Calls `f` with the text of a scalar value (numbers and booleans as they read) until it returns
// true; false when it never did. Formatted on the stack: evaluating a rule allocates nothing for
// the common fields.
template <class F>
bool AnyText(const json::value& v, F&& f) {
  char buf[32];
  auto number = [&](auto n) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    return f(std::string_view(buf, static_cast<size_t>(end - buf)));
  };
  switch (v.kind()) {
    case json::kind::string: return f(std::string_view(v.get_string()));
    case json::kind::int64: return number(v.get_int64());
    case json::kind::uint64: return number(v.get_uint64());
    case json::kind::double_: return f(std::string_view(NumberText(v.get_double())));
    case json::kind::bool_: return f(std::string_view(v.get_bool() ? "true" : "false"));
    default: return false;
  }
}

std::optional<net::IpAddress> AddressOf(std::string_view text) {
  auto a = net::IpAddress::Parse(text);
  if (a) a = a->Unmapped();  // ::ffff:a.b.c.d is a.b.c.d
  return a;
}

}  // namespace

bool IsKnownKey(std::string_view key) {
  return std::find(kKnownKeys.begin(), kKnownKeys.end(), key) != kKnownKeys.end();
}

bool IsAddressKey(std::string_view key) {
  return std::find(kAddressKeys.begin(), kAddressKeys.end(), key) != kAddressKeys.end();
}

struct CompiledFilter::Check {
  Node::Kind kind = Node::Kind::kCompare;
  std::vector<std::unique_ptr<Check>> children;
  bool never = false;  // an unknown key
  std::vector<std::string> paths;
  Op op = Op::kEq;
  std::string value;
  bool address = false;                   // an address key
  std::optional<net::IpNetwork> network;  // an address key compared with an address or CIDR

  bool Eval(const json::object& event) const {
    switch (kind) {
      case Node::Kind::kAnd:
        return std::all_of(children.begin(), children.end(), [&](const auto& c) { return c->Eval(event); });
      case Node::Kind::kOr:
        return std::any_of(children.begin(), children.end(), [&](const auto& c) { return c->Eval(event); });
      case Node::Kind::kNot: return !children[0]->Eval(event);
      case Node::Kind::kCompare: return Compare(event);
    }
    return false;
  }

  // One value of the field against the operand; `seen` counts the values compared.
  bool One(std::string_view s, size_t& seen) const {
    ++seen;
    if (network && (op == Op::kEq || op == Op::kNe)) {
      auto a = AddressOf(s);
      return a && network->Contains(*a);
    }
    std::string unmapped;  // ::ffff:a.b.c.d is a.b.c.d for every operator
    if (address) {
      if (auto a = AddressOf(s); a && a->family == net::Family::kV4) s = unmapped = a->ToString();
    }
    switch (op) {
      case Op::kEq:
      case Op::kNe: return s == value;
      case Op::kStartsWith: return s.starts_with(value);
      case Op::kEndsWith: return s.ends_with(value);
      case Op::kContains: return s.find(value) != std::string_view::npos;
    }
    return false;
  }

  // Holds for any of the field's values (its aliases' and an array's elements included); `!=`
  // holds when none equals. An event without the field satisfies no comparison.
  bool Compare(const json::object& event) const {
    if (never) return false;
    size_t seen = 0;
    auto one = [&](std::string_view s) { return One(s, seen); };
    bool any = false;
    for (const auto& p : paths) {
      const json::value* v = FindField(event, p);
      if (!v) continue;
      if (const json::array* a = v->if_array()) {
        any = std::any_of(a->begin(), a->end(), [&](const json::value& e) { return AnyText(e, one); });
      } else {
        any = AnyText(*v, one);
      }
      if (any) break;
    }
    if (seen == 0) return false;
    return op == Op::kNe ? !any : any;
  }
};

CompiledFilter::CompiledFilter() = default;
CompiledFilter::CompiledFilter(CompiledFilter&&) noexcept = default;
CompiledFilter& CompiledFilter::operator=(CompiledFilter&&) noexcept = default;
CompiledFilter::~CompiledFilter() = default;

namespace {

std::unique_ptr<CompiledFilter::Check> CompileNode(const Node& n, std::vector<std::string>& unknown) {
  auto c = std::make_unique<CompiledFilter::Check>();
  c->kind = n.kind;
  for (const auto& child : n.children) c->children.push_back(CompileNode(*child, unknown));
  if (n.kind != Node::Kind::kCompare) return c;
  c->op = n.op;
  c->value = n.value;
  if (!IsKnownKey(n.key)) {
    c->never = true;
    if (std::find(unknown.begin(), unknown.end(), n.key) == unknown.end()) unknown.push_back(n.key);
    return c;
  }
  c->paths = PathsOf(n.key);
  if (IsAddressKey(n.key)) {
    c->address = true;
    if (auto a = AddressOf(n.value); a && a->family == net::Family::kV4) c->value = a->ToString();
    c->network = net::IpNetwork::ParseHostOrNetwork(n.value);
    if (c->network && c->network->prefix == net::BitWidth(c->network->base.family)) {
      c->network->base = c->network->base.Unmapped();  // a host written ::ffff:a.b.c.d is a.b.c.d
      c->network->prefix = net::BitWidth(c->network->base.family);
    }
  }
  return c;
}

}  // namespace

Result<CompiledFilter> CompiledFilter::Compile(std::string_view text) {
  RAMPART_TRY(ast, ParseFilter(text));
  CompiledFilter f;
  f.root_ = CompileNode(*ast, f.unknown_keys_);
  return f;
}

bool CompiledFilter::Matches(const json::object& event) const { return root_ && root_->Eval(event); }

}  // namespace rampart::rules
