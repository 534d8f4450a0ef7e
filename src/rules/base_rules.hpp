#pragma once
// The Base Rule Set: the rules a Linux security team expects on day one (issue 13 §3), as
// RuleSpecs in Threat Stack's filter language. Each comes with an event that fires it and one that
// does not (base_rules_test.cpp runs both through the engine). telemetry/base_rule_set.hpp
// stores it in every organization once.
#include <string>
#include <utility>
#include <vector>

#include "rules/engine.hpp"

namespace rampart::rules {

struct BaseRule {
  RuleSpec spec;
  std::string type;         // Host or File (the v2 rule type)
  std::string description;  // alertDescription
  std::string fires;        // an event (JSON) that fires it, `spec.threshold` times
  std::string quiet;        // a similar event that must not
  // File rules: the paths the agent watches (fileIntegrityPaths), each (path, recursive), and the
  // events it reports (eventsToMonitor).
  std::vector<std::pair<std::string, bool>> watch = {};
  std::vector<std::string> events = {};
};

const std::vector<BaseRule>& BaseRuleSet();

}  // namespace rampart::rules
