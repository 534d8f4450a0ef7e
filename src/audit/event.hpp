#pragma once
// One assembled audit event (the records of one serial) as a rampart ingest event
// (docs/ingest.md §4, keyed like the rule filter keys). Pure over the records; what the text
// does not carry (a uid's name, the parent's executable) comes from the caller's lookups, so
// the golden tests need no host.
//
// - execve/execveat: {"event_type":"audit","syscall":"execve","exe","command" (comm),
//   "arguments" (EXECVE a0… joined by spaces, long arguments' pieces rejoined), "cwd", "pid",
//   "ppid", "parent_exe", "uid", "auid", "euid", "user", "tty", "session", "success", "key"}
// - connect: the same process keys plus "connection": {"dst_addr","dst_port"} from SOCKADDR
//   (IPv4 and IPv6 only: a connect to a unix or netlink socket is not an event)
// - init_module/finit_module/delete_module: the process keys plus "module" when the kernel
//   named it (KERN_MODULE)
// - any other syscall with a rampart_* key: the process keys
// - USER_LOGIN / USER_AUTH / USER_START: {"event_type":"login","action":"login"|"auth"|
//   "session_open","user" (acct),"uid","success","remote_addr","tty" (terminal),"exe",
//   "login_type" ("ssh", "su", "sudo", "login", or the program's name),"pid","session"}
// Anything else yields nothing.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/record.hpp"

namespace rampart::audit {

struct Lookups {
  std::function<std::string(int64_t uid)> user_name;     // "" when unknown
  std::function<std::string(int64_t pid)> exe_of_pid;    // "" when unknown (the process is gone)
};

// Caps on what one event carries (arguments are attacker text of any length). Text budgets are
// counted as the JSON will spell it (a control byte is six characters), so an event line stays
// far under the server's 64 KiB: arguments 16 KiB, every other text 2 KiB, about 40 KiB at most.
inline constexpr size_t kMaxArguments = 256;
inline constexpr size_t kMaxArgumentsBytes = 16384;
inline constexpr size_t kMaxTextBytes = 2048;

// `in` as valid UTF-8 (a byte that is not part of a well-formed character becomes U+FFFD: the
// server refuses a batch with invalid UTF-8, and one hostile file name must not cost the batch),
// cut at a character boundary before its JSON spelling passes `budget`.
std::string CleanText(std::string_view in, size_t budget);

// A syscall event is built when its SYSCALL record carries a rampart_* key or is one of the
// syscalls SyscallName() knows (x86_64, i386, aarch64): other rules on the host are not shipped.
std::optional<boost::json::object> BuildEvent(const std::vector<Record>& records, const Lookups& lookups = {});

// The syscall's name for an audit `arch` (x86_64, aarch64) and number; "" when not one of the
// syscalls rampart's audit rules ask for.
std::string SyscallName(std::string_view arch, int64_t number);

}  // namespace rampart::audit
