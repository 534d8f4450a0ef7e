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

// Caps on what one event carries (arguments are attacker text of any length).
inline constexpr size_t kMaxArguments = 256;
inline constexpr size_t kMaxArgumentsBytes = 8192;

std::optional<boost::json::object> BuildEvent(const std::vector<Record>& records, const Lookups& lookups = {});

// The syscall's name for an audit `arch` (x86_64, aarch64) and number; "" when not one of the
// syscalls rampart's audit rules ask for.
std::string SyscallName(std::string_view arch, int64_t number);

}  // namespace rampart::audit
