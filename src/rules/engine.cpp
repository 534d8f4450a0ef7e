#include "rules/engine.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace rampart::rules {
namespace json = boost::json;
namespace {

// The event's value of `field` as text (arrays joined with ","), "" when it has none.
std::string FieldText(const json::object& event, std::string_view field) {
  const json::value* v = FindField(event, field);
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_array()) {
    std::string out;
    for (const auto& e : v->get_array()) {
      if (!out.empty()) out += ',';
      out += e.is_string() ? std::string(e.get_string()) : json::serialize(e);
      if (out.size() > kMaxFieldBytes) break;  // only the first kMaxFieldBytes are ever used
    }
    return out;
  }
  if (v->is_null() || v->is_object()) return "";
  if (v->is_double()) return NumberText(v->get_double());
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
    out += FieldText(event, field).substr(0, kMaxFieldBytes);
    pos = close + 2;
    if (out.size() >= kMaxTitleBytes) break;
  }
  if (out.size() > kMaxTitleBytes) out.resize(kMaxTitleBytes);
  return out;
}

namespace {

bool SameCounting(const RuleSpec& a, const RuleSpec& b) {
  return a.filter == b.filter && a.threshold == b.threshold && a.window_s == b.window_s &&
         a.aggregate_fields == b.aggregate_fields && a.suppressions == b.suppressions;
}

// A key component that cannot run into its neighbour: its length, then its (cut) bytes.
void AppendPart(std::string& key, std::string_view part) {
  part = part.substr(0, kMaxFieldBytes);
  key += std::to_string(part.size());
  key += ':';
  key += part;
}

// An aggregate field's value in a key: a string as itself, anything else as its JSON (so ["a,b"]
// and ["a","b"] differ), and a missing field as "~" (so it differs from "" and null).
void AppendValue(std::string& key, const json::object& event, std::string_view field) {
  const json::value* v = FindField(event, field);
  if (!v) {
    key += "~;";
    return;
  }
  AppendPart(key, v->is_string() ? std::string(v->get_string()) : json::serialize(*v));
}

}  // namespace

void Engine::SetRules(const std::vector<RuleSpec>& specs) {
  std::vector<CompiledRule> next;
  std::unordered_map<std::string, const CompiledRule*> before;
  for (const CompiledRule& r : rules_) before[r.spec.id] = &r;
  std::unordered_map<std::string, bool> keep;  // rule id -> its buckets stay
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
    auto old = before.find(s.id);
    if (old != before.end()) r.suppressed = old->second->suppressed;
    keep[s.id] = old != before.end() && SameCounting(old->second->spec, s);
    next.push_back(std::move(r));
  }
  rules_ = std::move(next);
  for (auto it = lru_.begin(); it != lru_.end();) {
    auto k = keep.find(it->rule_id);
    auto next_it = std::next(it);
    if (k == keep.end() || !k->second) Drop(it);
    it = next_it;
  }
}

void Engine::Drop(std::list<Bucket>::iterator it) {
  if (auto a = per_agent_.find(it->agent_id); a != per_agent_.end() && --a->second == 0) per_agent_.erase(a);
  buckets_.erase(it->key);
  lru_.erase(it);
}

// Expired buckets at the cold end go first; then the least recently touched one.
void Engine::MakeRoom(int64_t now_ms) {
  while (!lru_.empty() && now_ms >= lru_.back().window_end_ms) Drop(std::prev(lru_.end()));
  if (buckets_.size() >= max_buckets_ && !lru_.empty()) Drop(std::prev(lru_.end()));
}

Engine::Bucket* Engine::Touch(const std::string& key, const std::string& rule_id, const std::string& agent_id,
                              int64_t now_ms, int64_t window_ms) {
  auto found = buckets_.find(key);
  if (found != buckets_.end()) {
    lru_.splice(lru_.begin(), lru_, found->second);
    Bucket& b = *found->second;
    if (now_ms >= b.window_end_ms) {  // the window passed: start over
      b.window_end_ms = now_ms + window_ms;
      b.count = 0;
      b.pending.clear();
      b.open = false;
    }
    return &b;
  }
  if (buckets_.size() >= max_buckets_) MakeRoom(now_ms);
  size_t& mine = per_agent_[agent_id];
  if (mine >= max_per_agent_) return nullptr;
  ++mine;
  lru_.push_front(Bucket{key, rule_id, agent_id, now_ms + window_ms, 0, {}, false});
  buckets_[key] = lru_.begin();
  return &lru_.front();
}

namespace {

// Whether the rule runs for this agent's groups and sees this event's type.
bool Applies(const RuleSpec& spec, const json::object& event, const std::vector<std::string>* groups) {
  if (groups && std::find(groups->begin(), groups->end(), spec.group) == groups->end()) return false;
  if (spec.event_types.empty()) return true;
  const json::value* type = event.if_contains("event_type");
  const json::string* t = type ? type->if_string() : nullptr;
  return t && std::find(spec.event_types.begin(), spec.event_types.end(), std::string_view(*t)) != spec.event_types.end();
}

}  // namespace

std::vector<Outcome> Engine::Evaluate(const std::string& agent_id, const json::object& event, int64_t now_ms,
                                      const std::vector<std::string>* groups) {
  std::vector<Outcome> out;
  for (CompiledRule& r : rules_) {
    if (!r.spec.enabled || !r.filter || !Applies(r.spec, event, groups) || !r.filter->Matches(event)) continue;
    const bool suppressed = std::any_of(r.suppressions.begin(), r.suppressions.end(),
                                        [&](const CompiledFilter& s) { return s.Matches(event); });
    if (suppressed) {
      ++r.suppressed;
      continue;
    }
    std::string key;
    AppendPart(key, r.spec.id);
    AppendPart(key, agent_id);
    for (const auto& f : r.spec.aggregate_fields) AppendValue(key, event, f);
    const int64_t window_ms = std::clamp<int64_t>(r.spec.window_s, 1, kMaxWindowS) * 1000;
    Bucket* b = Touch(key, r.spec.id, agent_id, now_ms, window_ms);
    if (!b) continue;  // the agent is past its share of buckets
    auto alert_key = [&] { return key + '#' + std::to_string(b->window_end_ms); };  // only for an outcome
    if (b->open) {
      out.push_back({Outcome::Kind::kAttach, r.spec.id, alert_key(), "", r.spec.severity, {event}});
      continue;
    }
    ++b->count;
    if (b->pending.size() < kMaxEventsPerAlert) b->pending.push_back(event);
    if (b->count < std::max<int64_t>(1, r.spec.threshold)) continue;
    b->open = true;
    out.push_back({Outcome::Kind::kOpen, r.spec.id, alert_key(), Interpolate(r.spec.title, b->pending.front()),
                   r.spec.severity, std::move(b->pending)});
    b->pending.clear();
  }
  return out;
}

}  // namespace rampart::rules
