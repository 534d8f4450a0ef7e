#include "rules/engine.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace rampart::rules {
namespace json = boost::json;
namespace {

// The event's value of `field` as text (arrays joined with ","), "" when it has none.
std::string FieldText(const json::object& event, std::string_view field) {
  const json::value* v = event.if_contains(field);
  if (!v) {  // a nested key: connection.dst_addr
    const json::object* at = &event;
    size_t start = 0;
    while (at && start <= field.size()) {
      size_t dot = field.find('.', start);
      std::string_view part = field.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      v = at->if_contains(part);
      if (!v || dot == std::string_view::npos) break;
      at = v->if_object();
      start = dot + 1;
      if (!at) v = nullptr;
    }
  }
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_array()) {
    std::string out;
    for (const auto& e : v->get_array()) {
      if (!out.empty()) out += ',';
      out += e.is_string() ? std::string(e.get_string()) : json::serialize(e);
    }
    return out;
  }
  if (v->is_null() || v->is_object()) return "";
  return json::serialize(*v);
}

}  // namespace

std::string Interpolate(std::string_view title, const json::object& event) {
  std::string out;
  size_t pos = 0;
  while (pos < title.size()) {
    size_t open = title.find("{{", pos);
    size_t close = open == std::string_view::npos ? open : title.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(title.substr(pos));
      break;
    }
    out.append(title.substr(pos, open - pos));
    std::string_view field = title.substr(open + 2, close - open - 2);
    while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
    while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
    out += FieldText(event, field);
    pos = close + 2;
  }
  return out;
}

void Engine::SetRules(const std::vector<RuleSpec>& specs) {
  std::vector<CompiledRule> next;
  for (const RuleSpec& s : specs) {
    CompiledRule r{s};
    if (auto f = CompiledFilter::Compile(s.filter)) {
      r.filter = std::move(*f);
    } else {
      r.filter_error = f.error().detail;
    }
    for (const auto& text : s.suppressions) {
      if (auto f = CompiledFilter::Compile(text)) r.suppressions.push_back(std::move(*f));
    }
    next.push_back(std::move(r));
  }
  rules_ = std::move(next);
  // Buckets of rules that are gone go with them ("<rule id>\x1f…" keys).
  for (auto it = lru_.begin(); it != lru_.end();) {
    const std::string rule = it->key.substr(0, it->key.find('\x1f'));
    const bool kept = std::any_of(rules_.begin(), rules_.end(), [&](const CompiledRule& r) { return r.spec.id == rule; });
    if (kept) {
      ++it;
    } else {
      buckets_.erase(it->key);
      it = lru_.erase(it);
    }
  }
}

Engine::Bucket& Engine::Touch(const std::string& key, int64_t now_ms, int64_t window_ms) {
  auto found = buckets_.find(key);
  if (found != buckets_.end()) {
    lru_.splice(lru_.begin(), lru_, found->second);
    Bucket& b = *found->second;
    if (now_ms >= b.window_end_ms) b = Bucket{key, now_ms + window_ms, {}, false};  // the window passed
    return b;
  }
  if (buckets_.size() >= max_buckets_ && !lru_.empty()) {
    buckets_.erase(lru_.back().key);
    lru_.pop_back();
  }
  lru_.push_front(Bucket{key, now_ms + window_ms, {}, false});
  buckets_[key] = lru_.begin();
  return lru_.front();
}

std::vector<Outcome> Engine::Evaluate(const std::string& agent_id, const json::object& event, int64_t now_ms) {
  std::vector<Outcome> out;
  for (CompiledRule& r : rules_) {
    if (!r.spec.enabled || !r.filter || !r.filter->Matches(event)) continue;
    const bool suppressed = std::any_of(r.suppressions.begin(), r.suppressions.end(),
                                        [&](const CompiledFilter& s) { return s.Matches(event); });
    if (suppressed) {
      ++r.suppressed;
      continue;
    }
    std::string key = r.spec.id + '\x1f' + agent_id;
    for (const auto& f : r.spec.aggregate_fields) key += '\x1f' + FieldText(event, f);
    Bucket& b = Touch(key, now_ms, std::max<int64_t>(1, r.spec.window_s) * 1000);
    const std::string alert_key = key + '\x1f' + std::to_string(b.window_end_ms);
    if (b.open) {
      out.push_back({Outcome::Kind::kAttach, r.spec.id, alert_key, "", r.spec.severity, {event}});
      continue;
    }
    b.pending.push_back(event);
    if (static_cast<int64_t>(b.pending.size()) < std::max<int64_t>(1, r.spec.threshold)) continue;
    b.open = true;
    out.push_back({Outcome::Kind::kOpen, r.spec.id, alert_key, Interpolate(r.spec.title, b.pending.front()),
                   r.spec.severity, std::move(b.pending)});
    b.pending.clear();
  }
  return out;
}

}  // namespace rampart::rules
