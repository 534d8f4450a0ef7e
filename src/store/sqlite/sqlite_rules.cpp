#include "store/sqlite/sqlite_rules.hpp"

#include <boost/json.hpp>

#include "store/sqlite/rules_queries.hpp"

namespace rampart::store::sqlite {
namespace {
namespace json = boost::json;

std::string Paths(const std::vector<FileIntegrityPath>& v) {
  json::array a;
  for (const auto& p : v) a.push_back(json::object{{"path", p.path}, {"recursive", p.recursive}});
  return json::serialize(a);
}

std::vector<FileIntegrityPath> PathsOf(const std::string& text) {
  std::vector<FileIntegrityPath> out;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.get_array()) {
    const json::object* o = e.if_object();
    const json::value* path = o ? o->if_contains("path") : nullptr;
    const json::value* rec = o ? o->if_contains("recursive") : nullptr;
    if (path && path->is_string()) out.push_back({std::string(path->get_string()), rec && rec->is_bool() && rec->get_bool()});
  }
  return out;
}

RulesetRecord ReadRuleset(const Stmt& s) { return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)}; }

RuleRecord ReadRule(const Stmt& s) {
  return {s.Text(0),  s.Text(1),  s.Text(2),  s.Text(3),  s.Text(4),
          s.Text(5),  static_cast<int>(s.Int(6)), s.Text(7), s.Text(8), StringsOf(s.Text(9)),
          StringsOf(s.Text(10)), s.Int(11), s.Int(12), s.Int(13) != 0, PathsOf(s.Text(14)),
          StringsOf(s.Text(15)), StringsOf(s.Text(16)), s.Int(17), s.Int(18)};
}

}  // namespace

std::string Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}

std::vector<std::string> StringsOf(const std::string& text) {
  std::vector<std::string> out;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.get_array()) {
    if (e.is_string()) out.emplace_back(e.get_string());
  }
  return out;
}

Result<std::vector<RulesetRecord>> ListRulesetRows(Db& db, const std::string& org_id) {
  Stmt s(db, q::kListRulesets);
  s.Bind(1, org_id);
  return CollectRows<RulesetRecord>(s, ReadRuleset);
}

Result<std::optional<RulesetRecord>> GetRulesetRow(Db& db, const std::string& org_id, const std::string& id) {
  Stmt s(db, q::kGetRuleset);
  s.Bind(1, org_id).Bind(2, id);
  RAMPART_TRY(rows, CollectRows<RulesetRecord>(s, ReadRuleset));
  return FirstRow(std::move(rows));
}

Result<std::vector<RuleRecord>> ListRuleRows(Db& db, const std::string& org_id, const std::string& ruleset_id) {
  Stmt s(db, q::kListRules);
  s.Bind(1, org_id).Bind(2, ruleset_id);
  return CollectRows<RuleRecord>(s, ReadRule);
}

Result<std::optional<RuleRecord>> GetRuleRow(Db& db, const std::string& org_id, const std::string& id) {
  Stmt s(db, q::kGetRule);
  s.Bind(1, org_id).Bind(2, id);
  RAMPART_TRY(rows, CollectRows<RuleRecord>(s, ReadRule));
  return FirstRow(std::move(rows));
}

Result<std::vector<std::string>> AgentsUsingRulesetRows(Db& db, const std::string& org_id,
                                                        const std::string& ruleset_id) {
  Stmt s(db, q::kAgentsUsingRuleset);
  s.Bind(1, org_id).Bind(2, ruleset_id);
  return CollectRows<std::string>(s, [](Stmt& row) { return row.Text(0); });
}

Result<void> ApplyRuleChanges(Db& db, const V2Write& w) {
  for (const std::string& id : w.delete_rules) {
    Stmt tags(db, q::kDeleteRuleTags);
    RAMPART_CHECK(tags.Bind(1, w.org_id).Bind(2, id).Run());
    Stmt rule(db, q::kDeleteRule);
    RAMPART_CHECK(rule.Bind(1, w.org_id).Bind(2, id).Run());
  }
  for (const std::string& id : w.delete_rulesets) {
    for (const char* sql : {q::kDeleteRulesetTags, q::kDeleteRulesOfRuleset, q::kDeleteRuleset, q::kDropRulesetFromAgents}) {
      Stmt s(db, sql);
      RAMPART_CHECK(s.Bind(1, w.org_id).Bind(2, id).Run());
    }
  }
  Stmt rs(db, q::kPutRuleset);
  for (const RulesetRecord& r : w.put_rulesets) {
    rs.Bind(1, w.org_id).Bind(2, r.id).Bind(3, r.name).Bind(4, r.description).Bind(5, r.created_at_ms);
    RAMPART_CHECK(rs.Bind(6, r.updated_at_ms).Run());
  }
  Stmt rule(db, q::kPutRule);
  for (const RuleRecord& r : w.put_rules) {
    rule.Bind(1, w.org_id).Bind(2, r.id).Bind(3, r.ruleset_id).Bind(4, r.name).Bind(5, r.title).Bind(6, r.type);
    rule.Bind(7, int64_t{r.severity}).Bind(8, r.alert_description).Bind(9, r.filter);
    rule.Bind(10, Strings(r.aggregate_fields)).Bind(11, Strings(r.suppressions)).Bind(12, r.window_s);
    rule.Bind(13, r.threshold).Bind(14, int64_t{r.enabled}).Bind(15, Paths(r.file_integrity_paths));
    rule.Bind(16, Strings(r.ignore_files)).Bind(17, Strings(r.events_to_monitor)).Bind(18, r.created_at_ms);
    auto done = rule.Bind(19, r.updated_at_ms).Run();
    if (!done && done.error().code == Errc::kInUse) return Error::Invalid("no such ruleset: " + r.ruleset_id.substr(0, 64));
    RAMPART_CHECK(done);
  }
  return {};
}

}  // namespace rampart::store::sqlite
