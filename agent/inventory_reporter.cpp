#include "agent/inventory_reporter.hpp"

#include <sys/stat.h>

#include <boost/json.hpp>

#include "agent/host_facts.hpp"
#include "vuln/deb_version.hpp"

namespace rampart::agent {
namespace json = boost::json;

namespace {

json::array PackagesJson(const std::vector<Package>& packages) {
  json::array out;
  out.reserve(packages.size());
  for (const auto& p : packages) out.push_back(PackageJson(p));
  return out;
}

}  // namespace

bool InventoryReporter::Send(const std::vector<Package>& now, bool full) {
  const std::string os = ReadFile(o_.os_release_path);
  json::object body{{"full", full},
                    {"os", json::object{{"codename", OsReleaseValue(os, "VERSION_CODENAME")},
                                        {"versionId", OsReleaseValue(os, "VERSION_ID")}}}};
  if (full) {
    body["packages"] = PackagesJson(now);
  } else {
    InventoryDelta d = Diff(acked_, now);
    if (d.empty()) return true;
    body["upserted"] = PackagesJson(d.upserted);
    json::array removed;
    for (const auto& p : d.removed) removed.push_back(json::object{{"name", p.name}, {"arch", p.arch}});
    body["removed"] = std::move(removed);
  }
  Reply r = client_.Inventory(body);
  if (r.status != 200) {
    SetHealth({false, "FAILING", "inventory not accepted: " + ErrorOf(r)});
    return false;
  }
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  const json::value* need = !ec && v.is_object() ? v.as_object().if_contains("needFull") : nullptr;
  if (need && need->is_bool() && need->as_bool()) {
    have_base_ = false;  // the next tick sends all of it
    next_check_ = 0;
    return false;
  }
  acked_ = now;
  have_base_ = true;
  ++sent_;
  SetHealth({true, "RUNNING", std::to_string(acked_.size()) + " packages reported" +
                                 (skipped_ ? ", " + std::to_string(skipped_) + " with names or versions Debian's rules refuse left out" : "")});
  return true;
}

void InventoryReporter::Tick(int64_t now_ms) {
  if (now_ms < next_check_) return;
  next_check_ = now_ms + o_.check_interval_ms;
  struct stat st {};
  if (::stat(o_.status_path.c_str(), &st) != 0) {
    SetHealth({true, "DISABLED", "no dpkg status file (" + o_.status_path + "): not a Debian host"});
    return;
  }
  const int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  const bool full = !have_base_ || now_ms >= next_full_;
  const bool changed = mtime_ns != status_mtime_ns_ || st.st_size != status_size_;
  if (!full && !changed) return;
  const std::string text = ReadFile(o_.status_path);
  if (text.empty()) return;  // unreadable now: never reported as "nothing installed"
  std::vector<Package> now = ParseDpkgStatus(text);
  // dpkg only warns about some names and versions the server refuses (an fpm-built "v1.2"):
  // those packages are left out, counted, rather than the whole host.
  const size_t before = now.size();
  std::erase_if(now, [](const Package& p) {
    return !vuln::IsPackageName(p.name) || !vuln::IsPackageName(p.source) || !vuln::DebVersion::Parse(p.version) ||
           !vuln::DebVersion::Parse(p.source_version);
  });
  skipped_ = before - now.size();
  if (Send(now, full)) {
    status_mtime_ns_ = mtime_ns;
    status_size_ = st.st_size;
    if (full) next_full_ = now_ms + o_.full_interval_ms;
  } else if (!health().healthy) {
    next_check_ = now_ms + std::min<int64_t>(o_.check_interval_ms, 10000);
  }
}

}  // namespace rampart::agent
