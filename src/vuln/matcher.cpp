#include "vuln/matcher.hpp"

#include <algorithm>

namespace rampart::vuln {

FeedIndex::Builder::Builder() : index_(std::make_shared<FeedIndex>()) {}

void FeedIndex::Builder::Add(FeedEntry&& e) {
  IndexedEntry ie{std::move(e.cve), std::nullopt, false, std::move(e.urgency), e.nodsa, std::move(e.notices)};
  if (e.fixed_version) {
    ie.never_affected = *e.fixed_version == "0";
    ie.fixed = DebVersion::Parse(*e.fixed_version);
    if (!ie.fixed) return;
  }
  index_->by_release_[std::move(e.release)][std::move(e.source)].push_back(std::move(ie));
  ++index_->size_;
}

std::shared_ptr<const FeedIndex> FeedIndex::Builder::Finish() {
  for (auto& [release, sources] : index_->by_release_) {
    for (auto& [source, list] : sources) {
      std::sort(list.begin(), list.end(), [](const IndexedEntry& a, const IndexedEntry& b) { return a.cve < b.cve; });
    }
  }
  return std::move(index_);
}

std::shared_ptr<const FeedIndex> FeedIndex::Build(const std::vector<FeedEntry>& entries) {
  Builder b;
  for (FeedEntry e : entries) b.Add(std::move(e));
  return b.Finish();
}

std::vector<std::pair<std::string, std::string>> FeedIndex::ChangedKeys(const FeedIndex* before, const FeedIndex& after) {
  static const BySource kNoSources;
  auto sources_of = [](const FeedIndex* index, const std::string& release) -> const BySource& {
    if (!index) return kNoSources;
    auto it = index->by_release_.find(release);
    return it == index->by_release_.end() ? kNoSources : it->second;
  };
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [release, sources] : after.by_release_) {
    const BySource& old = sources_of(before, release);
    for (const auto& [source, list] : sources) {
      auto it = old.find(source);
      if (it == old.end() || it->second != list) out.emplace_back(release, source);
    }
  }
  if (before) {
    for (const auto& [release, sources] : before->by_release_) {
      const BySource& now = sources_of(&after, release);
      for (const auto& [source, list] : sources) {
        if (!now.count(source)) out.emplace_back(release, source);
      }
    }
  }
  return out;
}

const std::vector<IndexedEntry>& FeedIndex::For(std::string_view release, std::string_view source) const {
  static const std::vector<IndexedEntry> kNone;
  auto r = by_release_.find(release);
  if (r == by_release_.end()) return kNone;
  auto it = r->second.find(source);
  return it == r->second.end() ? kNone : it->second;
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
