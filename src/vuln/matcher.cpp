#include "vuln/matcher.hpp"

#include <algorithm>

namespace rampart::vuln {

namespace {

std::string KeyOf(std::string_view release, std::string_view source) {
  std::string key(release);
  key.push_back('\0');
  key.append(source);
  return key;
}

}  // namespace

FeedIndex::Builder::Builder() : index_(std::make_shared<FeedIndex>()) {}

void FeedIndex::Builder::Add(FeedEntry&& e) {
  ++added_;
  IndexedEntry ie{std::move(e.cve), std::nullopt, false, std::move(e.urgency), e.nodsa, std::move(e.notices)};
  if (e.fixed_version) {
    ie.never_affected = *e.fixed_version == "0";
    ie.fixed = DebVersion::Parse(*e.fixed_version);
    if (!ie.fixed) return;
  }
  index_->by_key_[KeyOf(e.release, e.source)].push_back(std::move(ie));
  ++index_->size_;
}

std::shared_ptr<const FeedIndex> FeedIndex::Builder::Finish() {
  for (auto& [key, list] : index_->by_key_) {
    std::sort(list.begin(), list.end(), [](const IndexedEntry& a, const IndexedEntry& b) { return a.cve < b.cve; });
  }
  return std::move(index_);
}

std::shared_ptr<const FeedIndex> FeedIndex::Build(const std::vector<FeedEntry>& entries) {
  Builder b;
  for (FeedEntry e : entries) b.Add(std::move(e));
  return b.Finish();
}

std::vector<std::pair<std::string, std::string>> FeedIndex::ChangedKeys(const FeedIndex* before, const FeedIndex& after) {
  std::vector<std::pair<std::string, std::string>> out;
  auto split = [](const std::string& key) {
    const size_t nul = key.find('\0');
    return std::make_pair(key.substr(0, nul), key.substr(nul + 1));
  };
  for (const auto& [key, list] : after.by_key_) {
    auto it = before ? before->by_key_.find(key) : after.by_key_.end();
    if (!before || it == before->by_key_.end() || it->second != list) out.push_back(split(key));
  }
  if (before) {
    for (const auto& [key, list] : before->by_key_) {
      if (!after.by_key_.count(key)) out.push_back(split(key));
    }
  }
  return out;
}

const std::vector<IndexedEntry>& FeedIndex::For(std::string_view release, std::string_view source) const {
  static const std::vector<IndexedEntry> kNone;
  auto it = by_key_.find(KeyOf(release, source));
  return it == by_key_.end() ? kNone : it->second;
}

std::pair<std::string, std::string> MatchKey(const InstalledPackage& p) {
  const bool kernel_image = p.name.starts_with("linux-image-") && p.source != "linux";
  if (kernel_image || p.source.starts_with("linux-signed-")) return {"linux", p.version};
  return {p.source.empty() ? p.name : p.source, p.source_version.empty() ? p.version : p.source_version};
}

std::vector<Finding> Match(const FeedIndex& index, std::string_view release, const std::vector<InstalledPackage>& packages,
                           size_t limit) {
  std::vector<Finding> out;
  for (const InstalledPackage& p : packages) {
    auto [source, version] = MatchKey(p);
    const std::vector<IndexedEntry>& entries = index.For(release, source);
    if (entries.empty()) continue;
    auto installed = DebVersion::Parse(version);
    if (!installed) continue;
    for (const IndexedEntry& e : entries) {
      if (e.never_affected) continue;
      if (e.fixed && Compare(*installed, *e.fixed) >= 0) continue;
      out.push_back({e.cve, p.name, p.arch, p.version, source, version,
                     e.fixed ? std::optional<std::string>(e.fixed->ToString()) : std::nullopt, e.urgency, e.notices});
      if (out.size() > limit) return out;
    }
  }
  return out;
}

Severity SeverityOf(std::string_view urgency) {
  while (!urgency.empty() && (urgency.back() == '*' || urgency.back() == ' ')) urgency.remove_suffix(1);
  if (urgency == "high" || urgency == "medium" || urgency == "low") return {std::string(urgency), ""};
  if (urgency == "unimportant" || urgency == "end-of-life") return {"low", std::string(urgency)};
  return {"medium", "not yet assigned"};
}

}  // namespace rampart::vuln
