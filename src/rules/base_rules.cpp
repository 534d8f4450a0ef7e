#include "rules/base_rules.hpp"

namespace rampart::rules {
namespace {

BaseRule Host(std::string id, std::string filter, std::string title, int severity, std::string description,
              std::string fires, std::string quiet, std::vector<std::string> aggregate = {"user"},
              int64_t threshold = 1, int64_t window_s = 3600) {
  return {RuleSpec{.id = std::move(id), .filter = std::move(filter), .aggregate_fields = std::move(aggregate),
                   .window_s = window_s, .threshold = threshold, .title = std::move(title), .severity = severity},
          "Host", std::move(description), std::move(fires), std::move(quiet)};
}

BaseRule File(std::string id, std::string filter, std::string title, int severity, std::string description,
              std::string fires, std::string quiet, std::vector<std::pair<std::string, bool>> watch,
              std::vector<std::string> events = {"create", "modify", "delete", "move", "attrib"}) {
  BaseRule r = Host(std::move(id), std::move(filter), std::move(title), severity, std::move(description),
                    std::move(fires), std::move(quiet), {"path"});
  r.type = "File";
  r.watch = std::move(watch);
  r.events = std::move(events);
  return r;
}

// File events that change something (FIM "modify", "create", "delete", "move", "attrib").
constexpr const char* kChanged = R"(event_type = "file" and action != "open")";

std::vector<BaseRule> Make() {
  const std::string changed = kChanged;
  return {
      Host("base-sudo", R"(event_type = "audit" and command = "sudo")", "{{user}} ran sudo: {{arguments}}", 3,
           "A user ran a command with sudo.",
           R"({"event_type":"audit","command":"sudo","user":"alice","arguments":"sudo systemctl restart nginx"})",
           R"({"event_type":"audit","command":"sudoedit-helper","user":"alice"})"),
      Host("base-su-root", R"(event_type = "audit" and command = "su" and (arguments = "su" or arguments = "su -" or arguments like " root"))",
           "{{user}} switched to root with su", 2, "A user became root with su.",
           R"({"event_type":"audit","command":"su","user":"bob","arguments":"su -"})",
           R"({"event_type":"audit","command":"su","user":"bob","arguments":"su postgres"})"),
      Host("base-new-account", R"(event_type = "audit" and (command = "useradd" or command = "adduser" or command = "groupadd" or command = "addgroup"))",
           "New user or group: {{arguments}}", 2, "A user or group was created.",
           R"({"event_type":"audit","command":"useradd","user":"root","arguments":"useradd -m mallory"})",
           R"({"event_type":"audit","command":"id","user":"root","arguments":"id mallory"})"),
      Host("base-privileged-group", R"(event_type = "audit" and (command = "usermod" or command = "gpasswd") and (arguments like "sudo" or arguments like "wheel" or arguments like " adm"))",
           "Privileged group change: {{arguments}}", 1, "A user was added to sudo, wheel or adm.",
           R"({"event_type":"audit","command":"usermod","user":"root","arguments":"usermod -aG sudo mallory"})",
           R"({"event_type":"audit","command":"usermod","user":"root","arguments":"usermod -aG docker alice"})"),
      Host("base-root-login", R"(event_type = "login" and user = "root" and success = true)",
           "Login as root on {{agent}} from {{remote_addr}}", 2, "Someone logged in as root.",
           R"({"event_type":"login","user":"root","success":true,"agent":"web-1","remote_addr":"203.0.113.9"})",
           R"({"event_type":"login","user":"alice","success":true,"agent":"web-1"})"),
      Host("base-failed-logins", R"(event_type = "login" and success = false)",
           "Repeated failed logins for {{user}}", 2, "Five failed logins for one user within five minutes.",
           R"({"event_type":"login","user":"admin","success":false,"remote_addr":"198.51.100.7"})",
           R"({"event_type":"login","user":"admin","success":true})", {"user"}, 5, 300),
      Host("base-kernel-module", R"(event_type = "audit" and (syscall = "init_module" or syscall = "finit_module"))",
           "Kernel module loaded by {{exe}}", 1, "A kernel module was loaded.",
           R"({"event_type":"audit","syscall":"finit_module","exe":"/usr/sbin/insmod","user":"root"})",
           R"({"event_type":"audit","syscall":"delete_module","exe":"/usr/sbin/rmmod","user":"root"})"),
      Host("base-shell-from-service", R"(event_type = "audit" and syscall = "execve" and (exe = "/bin/sh" or exe = "/bin/bash" or exe = "/usr/bin/bash" or exe = "/bin/dash" or exe = "/usr/bin/dash") and (parent_exe ends_with "/nginx" or parent_exe ends_with "/apache2" or parent_exe ends_with "/httpd" or parent_exe ends_with "/php-fpm" or parent_exe ends_with "/node" or parent_exe ends_with "/java" or parent_exe ends_with "/mysqld" or parent_exe ends_with "/postgres"))",
           "Shell {{exe}} spawned by {{parent_exe}}", 1, "A network service started a shell.",
           R"({"event_type":"audit","syscall":"execve","exe":"/bin/sh","parent_exe":"/usr/sbin/nginx","user":"www-data"})",
           R"({"event_type":"audit","syscall":"execve","exe":"/bin/bash","parent_exe":"/usr/sbin/sshd","user":"alice"})"),
      Host("base-web-outbound", R"(event_type = "audit" and syscall = "connect" and (exe ends_with "/nginx" or exe ends_with "/apache2" or exe ends_with "/httpd") and connection.dst_addr != "127.0.0.0/8" and connection.dst_addr != "::1" and connection.dst_addr != "10.0.0.0/8" and connection.dst_addr != "172.16.0.0/12" and connection.dst_addr != "192.168.0.0/16" and connection.dst_addr != "fc00::/7")",
           "{{exe}} connected out to {{connection.dst_addr}}", 2, "A web server process connected to an outside address.",
           R"({"event_type":"audit","syscall":"connect","exe":"/usr/sbin/nginx","user":"www-data","connection":{"dst_addr":"45.33.32.156","dst_port":4444}})",
           R"({"event_type":"audit","syscall":"connect","exe":"/usr/sbin/nginx","user":"www-data","connection":{"dst_addr":"10.0.3.7","dst_port":8080}})"),
      File("base-etc-changed", changed + R"( and path starts_with "/etc/")", "{{path}} changed", 3,
           "A configuration file under /etc changed.",
           R"({"event_type":"file","action":"modify","path":"/etc/hosts","user":"root"})",
           R"({"event_type":"file","action":"open","path":"/etc/hosts","user":"root"})", {{"/etc", true}}),
      File("base-system-binaries", changed + R"( and (path starts_with "/usr/bin/" or path starts_with "/usr/sbin/" or path starts_with "/bin/" or path starts_with "/sbin/" or path starts_with "/lib/" or path starts_with "/usr/lib/"))",
           "System file {{path}} changed", 1, "A system binary or library changed.",
           R"({"event_type":"file","action":"modify","path":"/usr/bin/ls","user":"root"})",
           R"({"event_type":"file","action":"modify","path":"/usr/local/bin/tool","user":"root"})",
           {{"/usr/bin", false}, {"/usr/sbin", false}, {"/bin", false}, {"/sbin", false}, {"/lib", false}}),
      File("base-cron", changed + R"( and (path starts_with "/etc/cron" or path starts_with "/var/spool/cron/" or path = "/etc/crontab"))",
           "Crontab {{path}} changed", 2, "A crontab changed.",
           R"({"event_type":"file","action":"create","path":"/etc/cron.d/backdoor","user":"root"})",
           R"({"event_type":"file","action":"modify","path":"/etc/crypttab","user":"root"})",
           {{"/etc/crontab", false}, {"/etc/cron.d", true}, {"/var/spool/cron", true}}),
      File("base-systemd-units", changed + R"( and (path starts_with "/etc/systemd/system/" or path starts_with "/lib/systemd/system/" or path starts_with "/usr/lib/systemd/system/"))",
           "systemd unit {{path}} changed", 2, "A systemd unit changed.",
           R"({"event_type":"file","action":"create","path":"/etc/systemd/system/evil.service","user":"root"})",
           R"({"event_type":"file","action":"modify","path":"/etc/systemd/journald.conf","user":"root"})",
           {{"/etc/systemd/system", true}, {"/lib/systemd/system", false}}),
      File("base-authorized-keys", changed + R"( and (path ends_with "/.ssh/authorized_keys" or path ends_with "/.ssh/authorized_keys2"))",
           "SSH authorized_keys changed: {{path}}", 1, "Someone changed who may log in with SSH keys.",
           R"({"event_type":"file","action":"modify","path":"/root/.ssh/authorized_keys","user":"root"})",
           R"({"event_type":"file","action":"modify","path":"/root/.ssh/known_hosts","user":"root"})",
           {{"/root/.ssh", false}, {"/home", true}}),
      File("base-shadow-read", R"(event_type = "file" and action = "open" and path = "/etc/shadow" and exe != "/usr/sbin/unix_chkpwd" and exe != "/usr/bin/passwd")",
           "/etc/shadow read by {{exe}}", 1, "A program other than the password tools read /etc/shadow.",
           R"({"event_type":"file","action":"open","path":"/etc/shadow","exe":"/usr/bin/cat","user":"root"})",
           R"({"event_type":"file","action":"open","path":"/etc/shadow","exe":"/usr/sbin/unix_chkpwd","user":"root"})",
           {{"/etc/shadow", false}}, {"open"}),
  };
}

}  // namespace

const std::vector<BaseRule>& BaseRuleSet() {
  static const std::vector<BaseRule> rules = Make();
  return rules;
}

}  // namespace rampart::rules
