#include "telemetry/agent_directory.hpp"

#include <algorithm>
#include <limits>

#include "base/strings.hpp"
#include "auth/hawk.hpp"
#include "telemetry/agents.hpp"

namespace rampart::telemetry {
namespace {

Error Bad(std::string detail) { return Error::Invalid(std::move(detail)); }

// Newest first: the cursor position (created, id) comes before `a` when (created, id) is greater.
bool Before(int64_t created, const std::string& id, const store::AgentRecord& a) {
  return created > a.created_at_ms || (created == a.created_at_ms && id > a.id);
}

std::string Page(const std::vector<store::AgentRecord>& all, size_t start, const PageTokenCodec& codec,
                 const std::string& status) {
  std::vector<store::AgentRecord> rows(all.begin() + static_cast<std::ptrdiff_t>(start),
                                       all.begin() + static_cast<std::ptrdiff_t>(
                                                         std::min(all.size(), start + kAgentPageSize + 1)));
  return PageBody("agents", rows, kAgentPageSize, codec, "status=" + status);
}

}  // namespace

const store::AgentRecord* AgentSnapshot::Find(const std::string& id) const {
  for (const auto* list : {&online, &offline}) {
    for (const auto& a : *list) {
      if (a.id == id) return &a;
    }
  }
  return nullptr;
}

std::shared_ptr<const AgentSnapshot> AgentDirectory::Cached(const std::string& org_id) {
  const int64_t now = UnixMillis(clock_.Now());
  std::lock_guard lock(mu_);
  auto it = by_org_.find(org_id);
  if (it == by_org_.end() || now - it->second->loaded_ms >= ttl_ms_) return nullptr;
  return it->second;
}

Result<std::shared_ptr<const AgentSnapshot>> AgentDirectory::Load(const std::string& org_id) {
  auto snap = std::make_shared<AgentSnapshot>();
  snap->loaded_ms = UnixMillis(clock_.Now());
  const int64_t all = std::numeric_limits<int64_t>::max();
  RAMPART_TRY(online, store_.ListAgents({org_id, "online", std::nullopt, all}));
  RAMPART_TRY(offline, store_.ListAgents({org_id, "offline", std::nullopt, all}));
  snap->online = std::move(online);
  snap->offline = std::move(offline);
  for (auto* list : {&snap->online, &snap->offline}) {
    for (store::AgentRecord& a : *list) a.doc = ServedAgentDoc(a.doc);
  }
  for (int i = 0; i < 2; ++i) {
    snap->first_page[i] =
        std::make_shared<const std::string>(Page(i ? snap->offline : snap->online, 0, codec_, i ? "offline" : "online"));
    snap->first_page_hash[i] = auth::hawk::PayloadHash(crypto::HashAlg::kSha256, "application/json", *snap->first_page[i]);
  }
  std::shared_ptr<const AgentSnapshot> out = snap;
  std::lock_guard lock(mu_);
  by_org_[org_id] = out;
  return out;
}

void AgentDirectory::Invalidate(const std::string& org_id) {
  std::lock_guard lock(mu_);
  by_org_.erase(org_id);
}

Result<RenderedBody> AgentDirectory::ListBody(const AgentSnapshot& snap, const std::optional<std::string>& status,
                                              const std::optional<std::string>& token) const {
  const std::string want = AsciiLower(status.value_or("online"));  // enum words in any case
  if (want != "online" && want != "offline") return Bad("status must be online or offline");
  if (!token) {
    const int i = want == "offline";
    return RenderedBody{snap.first_page[i], snap.first_page_hash[i]};
  }
  auto cursor = codec_.Decode(*token);
  if (!cursor) return Bad("invalid pagination token");
  const std::string token_status = cursor->filter.substr(cursor->filter.find('=') + 1);
  if (status && want != token_status) return Bad("status does not match the pagination token");
  const auto& all = token_status == "offline" ? snap.offline : snap.online;
  // The first agent strictly after the cursor in newest-first order.
  auto it = std::partition_point(all.begin(), all.end(), [&](const store::AgentRecord& a) {
    return !Before(cursor->last_created_ms, cursor->last_id, a);
  });
  return RenderedBody{
      std::make_shared<const std::string>(Page(all, static_cast<size_t>(it - all.begin()), codec_, token_status)), {}};
}

}  // namespace rampart::telemetry
