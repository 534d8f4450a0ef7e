#include "audit/assembler.hpp"

namespace rampart::audit {

bool IsStandaloneType(std::string_view type) {
  for (std::string_view prefix : {"USER_", "CRED_", "DAEMON_", "SERVICE_", "ANOM_", "SYSTEM_"}) {
    if (type.starts_with(prefix)) return true;
  }
  return type == "LOGIN";
}

void Assembler::Complete(std::map<uint64_t, Open>::iterator it, std::vector<Group>& out, bool whole) {
  if (!whole) ++incomplete_;
  out.push_back(std::move(it->second.records));
  open_.erase(it);
}

void Assembler::Add(Record r, std::vector<Group>& out) {
  Expire(r.time_ms, out);
  auto it = open_.find(r.serial);
  if (r.type == "EOE") {
    if (it != open_.end()) Complete(it, out, true);
    return;
  }
  if (it == open_.end()) {
    if (IsStandaloneType(r.type)) {
      out.push_back(Group{std::move(r)});
      return;
    }
    while (open_.size() >= limits_.max_pending) Complete(open_.begin(), out, false);
    it = open_.emplace(r.serial, Open{r.time_ms, {}}).first;
  }
  if (it->second.records.size() >= limits_.max_records) {
    ++dropped_records_;
    return;
  }
  it->second.records.push_back(std::move(r));
}

void Assembler::Expire(int64_t time_ms, std::vector<Group>& out) {
  for (auto it = open_.begin(); it != open_.end();) {
    auto next = std::next(it);
    if (time_ms - it->second.first_ms > limits_.stale_after_ms) Complete(it, out, false);
    it = next;
  }
}

void Assembler::Drain(std::vector<Group>& out) {
  while (!open_.empty()) Complete(open_.begin(), out, false);
}

}  // namespace rampart::audit
