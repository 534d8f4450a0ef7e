#pragma once
// The rules engine's semantics (agents-anchors.md §2.4): for each enabled rule, an event that
// matches its filter and none of its suppressions counts in a bucket keyed by (rule, agent, the
// event's values of the rule's aggregate fields). When a bucket reaches the rule's threshold
// within its window, one alert opens with those events and a title interpolated from the first
// event ({{field}}); later matching events in the same window attach to that open alert. When
// the window has passed, the bucket starts over. Suppressed events never count (each suppression
// hit is counted per rule). A rule whose filter does not parse is kept with its error and never
// fires. Time comes from the caller (the events' arrival, on an injected clock).
//
// Pure and single-threaded per instance: the caller owns one engine per organization (or guards
// it) and turns the outcomes into stored alerts. Memory is bounded: at most `max_buckets` buckets
// (expired ones go first, then the one touched least recently), at most `max_per_agent` of them
// per agent (an agent past its share counts no new bucket: one host's flood of distinct values
// cannot push out another's buckets), at most kMaxEventsPerAlert events kept per bucket (an
// alert carries its first events; the threshold counts them all), aggregate values and title
// fields cut at kMaxFieldBytes, and titles at kMaxTitleBytes.
#include <boost/json/object.hpp>

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "rules/filter.hpp"

namespace rampart::rules {

// What a rule says, in the engine's terms (telemetry converts a stored rule into this).
inline constexpr size_t kMaxEventsPerAlert = 100;
inline constexpr size_t kMaxFieldBytes = 256;
inline constexpr size_t kMaxTitleBytes = 1024;
inline constexpr int64_t kMaxWindowS = 31 * 86400;

struct RuleSpec {
  std::string id;
  std::string filter;
  std::vector<std::string> suppressions = {};
  std::vector<std::string> aggregate_fields = {};
  int64_t window_s = 3600;
  int64_t threshold = 1;
  std::string title = {};
  int severity = 3;
  bool enabled = true;
  std::string group = {};                    // the rule's ruleset: an agent runs the groups it names
  std::vector<std::string> event_types = {};  // the event types the rule sees; empty: every type
};

struct CompiledRule {
  RuleSpec spec;
  std::optional<CompiledFilter> filter = {};       // nullopt: see filter_error
  std::optional<std::string> filter_error = {};    // the rule never fires
  std::vector<CompiledFilter> suppressions = {};   // those that parse (the others are refused at save)
  uint64_t suppressed = 0;                        // events a suppression kept from counting
};

// "{{exe}} ran by {{user}}" with the event's fields; a missing field renders as "".
std::string Interpolate(std::string_view title, const boost::json::object& event);

struct Outcome {
  enum class Kind { kOpen, kAttach };
  Kind kind = Kind::kOpen;
  std::string rule_id = {};
  std::string alert_key = {};                    // stable for the bucket's window: names the alert
  std::string title = {};                        // kOpen
  int severity = 3;                              // kOpen
  std::vector<boost::json::object> events = {};  // kOpen: the threshold's events; kAttach: one
};

class Engine {
 public:
  explicit Engine(size_t max_buckets = 100000, size_t max_per_agent = 10000)
      : max_buckets_(max_buckets), max_per_agent_(max_per_agent) {}

  // Replaces the rules (a new version compiles every rule once). Buckets of a rule that is gone,
  // or whose filter, threshold, window or aggregate fields changed, are dropped; the others are
  // kept, as are the rules' suppression counts.
  void SetRules(const std::vector<RuleSpec>& specs);
  const std::vector<CompiledRule>& rules() const { return rules_; }

  // One event of `agent_id` at `now_ms`: what it opened or attached to, per rule it counted for.
  // `groups`: only rules of these groups run (null: every rule).
  std::vector<Outcome> Evaluate(const std::string& agent_id, const boost::json::object& event, int64_t now_ms,
                                const std::vector<std::string>* groups = nullptr);

  size_t open_buckets() const { return buckets_.size(); }

 private:
  struct Bucket {
    std::string key;
    std::string rule_id, agent_id;
    int64_t window_end_ms = 0;
    int64_t count = 0;                         // matching events in this window
    std::vector<boost::json::object> pending;  // the first kMaxEventsPerAlert of them, until the threshold
    bool open = false;                         // an alert is open for this window
  };
  // The bucket for `key`, started over when its window passed; nullptr when the agent is past its
  // share of buckets.
  Bucket* Touch(const std::string& key, const std::string& rule_id, const std::string& agent_id, int64_t now_ms,
                int64_t window_ms);
  void Drop(std::list<Bucket>::iterator it);
  void MakeRoom(int64_t now_ms);

  std::vector<CompiledRule> rules_;
  size_t max_buckets_, max_per_agent_;
  std::unordered_map<std::string, size_t> per_agent_;
  std::list<Bucket> lru_;  // most recent first
  std::unordered_map<std::string, std::list<Bucket>::iterator> buckets_;
};

}  // namespace rampart::rules
