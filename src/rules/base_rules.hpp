#pragma once
// The Base Rule Set: the rules a Linux security team expects on day one (issue 13 §3), as
// RuleSpecs in Threat Stack's filter language. Each comes with an event that fires it and one that
// does not (base_rules_test.cpp runs both through the engine). Creating the set in every
// organization (and once in existing ones) comes with the agents issue's store work.
#include <string>
#include <vector>

#include "rules/engine.hpp"

namespace rampart::rules {

struct BaseRule {
  RuleSpec spec;
  std::string type;         // Host or File (the v2 rule type)
  std::string description;  // alertDescription
  std::string fires;        // an event (JSON) that fires it, `spec.threshold` times
  std::string quiet;        // a similar event that must not
};

const std::vector<BaseRule>& BaseRuleSet();

}  // namespace rampart::rules
