#include "audit/event.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <map>

namespace rampart::audit {
namespace json = boost::json;
namespace {

const Record* FindType(const std::vector<Record>& records, std::string_view type) {
  for (const Record& r : records) {
    if (r.type == type) return &r;
  }
  return nullptr;
}

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void PutNumber(json::object& e, std::string_view key, int64_t v) {
  if (v >= 0) e[key] = v;
}

void PutText(json::object& e, std::string_view key, const std::string& v, size_t budget = kMaxTextBytes) {
  if (!v.empty()) e[key] = CleanText(v, budget);
}

// The length of the well-formed UTF-8 character at the start of `s`, or 0.
size_t CharLength(std::string_view s) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;
    if (c == 0xF4 && b(1) > 0x8F) return 0;
    return 4;
  }
  return 0;
}

// EXECVE a0… across the event's EXECVE records; a long argument comes as aN[0], aN[1], … pieces.
std::string Arguments(const std::vector<Record>& records) {
  std::map<int64_t, std::string> args;
  for (const Record& r : records) {
    if (r.type != "EXECVE") continue;
    for (const Field& f : r.fields) {
      if (!IsEncodable(f.name) || f.name[0] != 'a') continue;
      int64_t index = std::strtoll(f.name.c_str() + 1, nullptr, 10);
      if (index < 0 || index >= static_cast<int64_t>(kMaxArguments)) continue;
      args[index] += DecodeValue(f);
    }
  }
  std::string out;
  for (const auto& [index, text] : args) {
    if (!out.empty()) out += ' ';
    out += text;
    if (out.size() > 2 * kMaxArgumentsBytes) break;  // CleanText cuts it to the budget
  }
  return out;
}

// The destination of a SOCKADDR's `saddr` (hex of a struct sockaddr): IPv4 or IPv6 only.
std::optional<json::object> Destination(const Record& sockaddr) {
  const Field* f = sockaddr.Find("saddr");
  if (!f || f->value.size() % 2 != 0 || f->value.size() > 256) return std::nullopt;
  std::vector<unsigned char> b;
  for (size_t i = 0; i < f->value.size(); i += 2) {
    unsigned v = 0;
    if (std::sscanf(f->value.c_str() + i, "%2x", &v) != 1) return std::nullopt;
    b.push_back(static_cast<unsigned char>(v));
  }
  if (b.size() < 4) return std::nullopt;
  int family = b[0] | (b[1] << 8);
  int port = (b[2] << 8) | b[3];
  char text[INET6_ADDRSTRLEN] = {};
  if (family == AF_INET && b.size() >= 8) {
    inet_ntop(AF_INET, b.data() + 4, text, sizeof text);
  } else if (family == AF_INET6 && b.size() >= 24) {
    inet_ntop(AF_INET6, b.data() + 8, text, sizeof text);
  } else {
    return std::nullopt;
  }
  return json::object{{"dst_addr", text}, {"dst_port", port}};
}

std::string UserName(const Record& r, std::string_view enriched, int64_t uid, const Lookups& lookups) {
  if (const Field* f = r.FindEnriched(enriched); f && !f->value.empty() && f->value != "unset") return f->value;
  if (uid >= 0 && uid != 4294967295 && lookups.user_name) return lookups.user_name(uid);
  return "";
}

std::optional<json::object> SyscallEvent(const std::vector<Record>& records, const Record& sc,
                                         const Lookups& lookups) {
  std::string name = SyscallName(sc.Text("arch"), sc.Int("syscall"));
  std::string key = sc.Text("key");
  bool ours = key.starts_with("rampart_");
  if (name.empty() && !ours) return std::nullopt;  // another rule's syscall: not ours to ship
  if (const Field* f = sc.FindEnriched("SYSCALL"); f && name.empty()) name = f->value;
  json::object e{{"event_type", "audit"}, {"timestamp", sc.time_ms}};
  PutText(e, "syscall", name.empty() ? std::to_string(sc.Int("syscall")) : name);
  PutText(e, "exe", sc.Text("exe"));
  PutText(e, "command", sc.Text("comm"));
  int64_t ppid = sc.Int("ppid");
  PutNumber(e, "pid", sc.Int("pid"));
  PutNumber(e, "ppid", ppid);
  int64_t uid = sc.Int("uid"), auid = sc.Int("auid");
  PutNumber(e, "uid", uid);
  if (auid != 4294967295) PutNumber(e, "auid", auid);
  PutNumber(e, "euid", sc.Int("euid"));
  PutText(e, "user", UserName(sc, "UID", uid, lookups));
  if (std::string tty = sc.Text("tty"); tty != "(none)") PutText(e, "tty", tty);
  if (int64_t ses = sc.Int("ses"); ses != 4294967295) PutNumber(e, "session", ses);
  if (const Field* s = sc.Find("success")) e["success"] = s->value == "yes";
  if (ours) e["key"] = key;
  if (const Record* cwd = FindType(records, "CWD")) PutText(e, "cwd", cwd->Text("cwd"));
  if (ppid > 0 && lookups.exe_of_pid) PutText(e, "parent_exe", lookups.exe_of_pid(ppid));
  if (name == "execve" || name == "execveat") PutText(e, "arguments", Arguments(records), kMaxArgumentsBytes);
  if (name == "connect") {
    const Record* sa = FindType(records, "SOCKADDR");
    auto dst = sa ? Destination(*sa) : std::nullopt;
    if (!dst) return std::nullopt;
    e["connection"] = std::move(*dst);
  }
  if (const Record* km = FindType(records, "KERN_MODULE")) PutText(e, "module", km->Text("name"));
  return e;
}

std::string LoginType(const std::string& exe, const std::string& terminal) {
  std::string program = Basename(exe);
  if (program == "sshd" || terminal == "ssh") return "ssh";
  return program;
}

std::optional<json::object> LoginEvent(const Record& r, const Lookups& lookups) {
  std::string action = r.type == "USER_LOGIN" ? "login" : r.type == "USER_AUTH" ? "auth" : "session_open";
  json::object e{{"event_type", "login"}, {"timestamp", r.time_ms}, {"action", action}};
  int64_t uid = r.Int("id", -1);  // USER_LOGIN names the account by id= when it has a uid
  std::string user = r.Text("acct");
  if (user.empty() && uid >= 0 && lookups.user_name) user = lookups.user_name(uid);
  PutText(e, "user", user);
  PutNumber(e, "uid", uid);
  e["success"] = r.Text("res") == "success";
  if (std::string addr = r.Text("addr"); addr != "?" && !addr.empty()) e["remote_addr"] = addr;
  std::string exe = r.Text("exe"), terminal = r.Text("terminal");
  PutText(e, "tty", terminal);
  PutText(e, "exe", exe);
  PutText(e, "login_type", LoginType(exe, terminal));
  PutNumber(e, "pid", r.Int("pid"));
  if (int64_t ses = r.Int("ses"); ses != 4294967295) PutNumber(e, "session", ses);
  return e;
}

}  // namespace

std::string CleanText(std::string_view in, size_t budget) {
  std::string out;
  size_t cost = 0;
  for (size_t i = 0; i < in.size();) {
    size_t n = CharLength(in.substr(i));
    unsigned char c = static_cast<unsigned char>(in[i]);
    std::string_view piece = n ? in.substr(i, n) : std::string_view("\xEF\xBF\xBD");  // U+FFFD
    size_t spelled = n == 1 && (c < 0x20 || c == 0x7f) ? 6 : (n == 1 && (c == '"' || c == '\\')) ? 2 : piece.size();
    if (cost + spelled > budget) break;
    out += piece;
    cost += spelled;
    i += n ? n : 1;
  }
  return out;
}

std::string SyscallName(std::string_view arch, int64_t number) {
  struct Entry {
    int64_t x86_64, i386, aarch64;
    const char* name;
  };
  // i386: 32-bit programs (and int 0x80) call execve as 11 (rampart.rules audits arch=b32).
  static constexpr Entry kTable[] = {{59, 11, 221, "execve"},         {322, 358, 281, "execveat"},
                                     {42, -1, 203, "connect"},        {175, 128, 105, "init_module"},
                                     {313, 350, 273, "finit_module"}, {176, 129, 106, "delete_module"}};
  bool x86 = arch == "c000003e", i386 = arch == "40000003", arm = arch == "c00000b7";
  for (const Entry& e : kTable) {
    if ((x86 && e.x86_64 == number) || (i386 && e.i386 == number) || (arm && e.aarch64 == number)) return e.name;
  }
  return "";
}

std::optional<json::object> BuildEvent(const std::vector<Record>& records, const Lookups& lookups) {
  if (records.empty()) return std::nullopt;
  if (const Record* sc = FindType(records, "SYSCALL")) return SyscallEvent(records, *sc, lookups);
  const Record& first = records.front();
  if (first.type == "USER_LOGIN" || first.type == "USER_AUTH" || first.type == "USER_START") {
    return LoginEvent(first, lookups);
  }
  return std::nullopt;
}

}  // namespace rampart::audit
