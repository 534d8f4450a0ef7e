#include "telemetry/base_rule_set.hpp"

#include "crypto/crypto.hpp"
#include "rules/base_rules.hpp"

namespace rampart::telemetry {

Result<bool> AddBaseRuleSet(store::V2Store& store, const std::string& org_id, int64_t now_ms) {
  store::V2Write w{.org_id = org_id};
  const std::string set_id = crypto::NewUuidV4();
  w.put_rulesets.push_back({org_id, set_id, kBaseRuleSetName,
                            "What a Linux security team expects on day one (rampart's Base Rule Set).", now_ms, now_ms});
  for (const rules::BaseRule& b : rules::BaseRuleSet()) {
    store::RuleRecord r;
    r.org_id = org_id;
    r.id = crypto::NewUuidV4();
    r.ruleset_id = set_id;
    r.name = b.description.substr(0, b.description.size() - (b.description.ends_with('.') ? 1 : 0));
    r.title = b.spec.title;
    r.type = b.type;
    r.severity = b.spec.severity;
    r.alert_description = b.description;
    r.filter = b.spec.filter;
    r.aggregate_fields = b.spec.aggregate_fields;
    r.window_s = b.spec.window_s;
    r.threshold = b.spec.threshold;
    for (const auto& [path, recursive] : b.watch) r.file_integrity_paths.push_back({path, recursive});
    r.events_to_monitor = b.events;
    r.created_at_ms = r.updated_at_ms = now_ms;
    w.put_rules.push_back(std::move(r));
  }
  w.base_ruleset_id = set_id;
  // No v2 audit record: the set comes with the organization, whose creation is not in that log either.
  auto done = store.Commit(w);
  if (!done && done.error().code == Errc::kConflict) return false;
  if (!done) return done.error();
  return true;
}

Result<size_t> AddMissingBaseRuleSets(store::Store& store, int64_t now_ms) {
  RAMPART_TRY(orgs, store.OrgsWithoutBaseRules());
  size_t added = 0;
  for (const auto& org : orgs) {
    RAMPART_TRY(now_added, AddBaseRuleSet(store, org, now_ms));
    added += now_added ? 1 : 0;
  }
  return added;
}

}  // namespace rampart::telemetry
