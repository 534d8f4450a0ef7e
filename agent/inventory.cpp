#include "agent/inventory.hpp"

#include <algorithm>
#include <tuple>

namespace rampart::agent {
namespace json = boost::json;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool Installed(std::string_view status) {
  // "want flag status": the last word is dpkg's state of the package's files.
  const size_t space = status.rfind(' ');
  const std::string_view state = space == std::string_view::npos ? status : status.substr(space + 1);
  return !state.empty() && state != "not-installed" && state != "config-files";
}

void Finish(Package& p, std::vector<Package>& out) {
  if (!p.name.empty() && !p.version.empty() && !p.arch.empty() && Installed(p.status)) {
    if (p.source.empty()) p.source = p.name;
    if (p.source_version.empty()) p.source_version = p.version;
    out.push_back(std::move(p));
  }
  p = Package{};
}

auto Key(const Package& p) { return std::tie(p.name, p.arch); }

}  // namespace

std::vector<Package> ParseDpkgStatus(std::string_view text, size_t max_packages) {
  std::vector<Package> out;
  Package p;
  size_t at = 0;
  while (at <= text.size() && out.size() < max_packages) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (Trim(line).empty()) {
      Finish(p, out);
      if (end == text.size()) break;
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') continue;  // a continuation line
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view field = line.substr(0, colon), value = Trim(line.substr(colon + 1));
    if (field == "Package") p.name = value;
    if (field == "Architecture") p.arch = value;
    if (field == "Version") p.version = value;
    if (field == "Status") p.status = value;
    if (field == "Source") {
      const size_t open = value.find(" (");
      p.source = Trim(value.substr(0, open));
      if (open != std::string_view::npos && value.back() == ')') {
        p.source_version = Trim(value.substr(open + 2, value.size() - open - 3));
      }
    }
  }
  if (out.size() < max_packages) Finish(p, out);
  std::sort(out.begin(), out.end(), [](const Package& a, const Package& b) { return Key(a) < Key(b); });
  return out;
}

json::object PackageJson(const Package& p) {
  return {{"name", p.name},     {"arch", p.arch},
          {"version", p.version}, {"source", p.source},
          {"sourceVersion", p.source_version}, {"status", p.status}};
}

InventoryDelta Diff(const std::vector<Package>& before, const std::vector<Package>& after) {
  InventoryDelta d;
  size_t i = 0, j = 0;
  while (i < before.size() || j < after.size()) {
    if (j == after.size() || (i < before.size() && Key(before[i]) < Key(after[j]))) {
      d.removed.push_back(before[i++]);
    } else if (i == before.size() || Key(after[j]) < Key(before[i])) {
      d.upserted.push_back(after[j++]);
    } else {
      if (!(before[i] == after[j])) d.upserted.push_back(after[j]);
      ++i;
      ++j;
    }
  }
  return d;
}

}  // namespace rampart::agent
