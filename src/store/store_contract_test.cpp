// The store contract for organizations, users, keys, lists and enforcement (store_contract.hpp:
// every backend runs every test). Telemetry and the v2 store: store_contract_v2_test.cpp.
#include "store/store_contract.hpp"

namespace rampart::store {
namespace {

constexpr const char* kUser = "aaaaaaaaaaaaaaaaaaaaaaaa";
constexpr const char* kUser2 = "bbbbbbbbbbbbbbbbbbbbbbbb";

TEST_P(StoreContract, OrganizationsHaveUniqueNamesAndTheirOwnZoneSuffix) {
  auto dup = store_->CreateOrg({"0123456789abcdef01234569", "ACME", 3});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kConflict);
  auto found = store_->FindOrg("acme");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, kOrg);
  EXPECT_EQ((*found)->zone_suffix.size(), 8u);
  auto all = store_->ListOrgs();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_NE((*all)[0].zone_suffix, (*all)[1].zone_suffix);
  EXPECT_EQ((*store_->ZoneNamingOf(kOrg)).own_suffix, (*found)->zone_suffix);
  EXPECT_FALSE(*store_->FindOrg("nope"));
}

TEST_P(StoreContract, UsersRolesAndTheLastOwner) {
  ASSERT_TRUE(store_->CreateUser({kUser, "sec@acme.example", 1, "Sec"}));
  EXPECT_EQ(store_->CreateUser({kUser2, "SEC@acme.example", 1}).error().code, Errc::kConflict);
  ASSERT_TRUE(store_->CreateUser({kUser2, "ops@acme.example", 1}));
  EXPECT_EQ((*store_->FindUser("sec@acme.example"))->display_name, "Sec");
  ASSERT_TRUE(store_->PutMembership({kUser, kOrg, "reader"}, std::nullopt));
  ASSERT_TRUE(store_->PutMembership({kUser, kOrg, "owner"}, std::nullopt));
  auto ms = store_->MembershipsOfUser(kUser);
  ASSERT_EQ(ms->size(), 1u);
  EXPECT_EQ((*ms)[0].role, "owner");
  EXPECT_FALSE(store_->PutMembership({kUser, "nosuchorg", "owner"}, std::nullopt));  // foreign key
  // The organization keeps an owner: demoting the only one is refused, a second one allows it.
  EXPECT_EQ(store_->PutMembership({kUser, kOrg, "user"}, std::nullopt).error().code, Errc::kConflict);
  EXPECT_EQ((*store_->MembershipsOfUser(kUser))[0].role, "owner");
  EXPECT_EQ(store_->DeleteMembership(kOrg, kUser, std::nullopt).error().code, Errc::kConflict);
  ASSERT_TRUE(store_->PutMembership({kUser2, kOrg, "owner"}, std::nullopt));
  ASSERT_TRUE(store_->PutMembership({kUser, kOrg, "user"}, std::nullopt));
  auto members = store_->ListUsers(kOrg);
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].user.email, "ops@acme.example");  // by email
  EXPECT_EQ(store_->ListUsers("")->size(), 2u);
  EXPECT_TRUE(store_->ListUsers(kOtherOrg)->empty());
}

TEST_P(StoreContract, HawkKeysRotateAndStopWithTheirUser) {
  ASSERT_TRUE(store_->CreateUser({kUser, "sec@acme.example", 1}));
  ASSERT_TRUE(store_->AddHawkKey({0, kUser, "sealed-1", 10, std::nullopt}, std::nullopt));
  // Rotation: the old key keeps working until the grace period ends.
  ASSERT_TRUE(store_->AddHawkKey({0, kUser, "sealed-2", 20, std::nullopt}, int64_t{100}));
  auto keys = store_->ValidHawkKeys(kUser, 50);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].sealed_key, "sealed-2");
  EXPECT_EQ(store_->ValidHawkKeys(kUser, 100)->size(), 1u);
  EXPECT_EQ(*store_->AnySealedKey(), std::optional<std::string>("sealed-1"));
  // A disabled user has no valid key at all; enabled again, it has them back.
  UserRecord u = **store_->FindUser(kUser);
  u.disabled_at_ms = 60;
  u.password_hash = "$argon2id$stub";
  ASSERT_TRUE(store_->UpdateUser(u));
  EXPECT_TRUE(store_->ValidHawkKeys(kUser, 50)->empty());
  EXPECT_EQ((*store_->FindUser(kUser))->password_hash, std::optional<std::string>("$argon2id$stub"));
  u.disabled_at_ms.reset();
  ASSERT_TRUE(store_->UpdateUser(u));
  EXPECT_EQ(store_->ValidHawkKeys(kUser, 50)->size(), 2u);
  EXPECT_EQ(store_->UpdateUser({kUser2, "x@y", 1}).error().code, Errc::kNotFound);
}

TEST_P(StoreContract, ApiKeysRevokeOnceAndRecordTheirLastUse) {
  ASSERT_TRUE(store_->CreateApiKey({"t1", kOrg, "ab", "userlists:read", "10.0.0.0/8", "d", 5, 99}));
  ASSERT_TRUE(store_->CreateApiKey({"t2", kOtherOrg, "cd", "policies:write", "", "", 6}));
  EXPECT_EQ(store_->CreateApiKey({"t1", kOrg, "ef", "userlists:read", "", "", 7}).error().code, Errc::kConflict);
  auto t = store_->FindApiKey("t1");
  ASSERT_TRUE(t && *t);
  EXPECT_EQ((*t)->expires_at_ms, 99);
  EXPECT_EQ((*t)->networks, "10.0.0.0/8");
  EXPECT_EQ((*t)->perms, "userlists:read");
  ASSERT_EQ(store_->ListApiKeys(kOrg)->size(), 1u);  // an organization's own only
  EXPECT_TRUE(*store_->RevokeApiKey("t1", 7));
  EXPECT_FALSE(*store_->RevokeApiKey("t1", 8));
  EXPECT_EQ((*store_->FindApiKey("t1"))->revoked_at_ms, 7);
  EXPECT_FALSE(*store_->FindApiKey("nope"));
  ASSERT_TRUE(store_->TouchApiKeys({{"t2", 50}, {"t1", 40}}));
  ASSERT_TRUE(store_->TouchApiKeys({{"t2", 30}}));  // an older use never moves it back
  EXPECT_EQ((*store_->FindApiKey("t2"))->last_used_at_ms, 50);
  EXPECT_EQ((*store_->FindApiKey("t1"))->last_used_at_ms, 40);
}

TEST_P(StoreContract, RevocationsDisablingsAndDeletionsAreLoggedAsChanges) {
  const int64_t start = *store_->LatestChange();
  ASSERT_TRUE(store_->CreateUser({kUser, "sec@acme.example", 1}));
  ASSERT_TRUE(store_->PutMembership({kUser, kOrg, "owner"}, std::nullopt));
  UserRecord u = **store_->FindUser(kUser);
  u.disabled_at_ms = 5;
  ASSERT_TRUE(store_->UpdateUser(u));
  ASSERT_TRUE(store_->CreateApiKey({"t1", kOrg, "ab", "userlists:read", "", "", 5}));
  ASSERT_TRUE(*store_->RevokeApiKey("t1", 6));
  EXPECT_FALSE(*store_->RevokeApiKey("t1", 7));  // nothing changed: nothing logged
  ASSERT_TRUE(store_->DeleteOrg(kOtherOrg, Aud(kOtherOrg, "delete"), true));
  EXPECT_FALSE(store_->PutMembership({kUser, "nosuchorg", "owner"}, std::nullopt));  // refused: nothing logged
  auto log = *store_->ChangesSince(start, 100);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& c : log) got.emplace_back(c.topic, c.key);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"user", kUser}, {"user", kUser}, {"api_key", "t1"}, {"org", kOtherOrg}}));
  EXPECT_EQ(*store_->LatestChange(), log.back().seq);
  EXPECT_EQ(store_->ChangesSince(log[1].seq, 100)->size(), 2u);
  EXPECT_EQ(store_->ChangesSince(start, 1)->size(), 1u);
  EXPECT_GT(log[0].at_ms, 1700000000000);  // the store's own clock, in Unix milliseconds
  ASSERT_TRUE(store_->TrimChanges(log.back().at_ms + 1));
  EXPECT_TRUE(store_->ChangesSince(start, 100)->empty());
}

TEST_P(StoreContract, DeletingAnOrganizationTakesEverythingItHoldsAndIsAudited) {
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  ASSERT_TRUE(store_->Apply(Create("L9", "nine", kOtherOrg)));
  ASSERT_TRUE(store_->PutPolicyObject({kOrg, "policy", "P1", "corp", 1, "{}", {"L1"}}, Aud("P1")));
  ASSERT_TRUE(store_->CreateApiKey({"t1", kOrg, "ab", "userlists:read", "", "", 5}));
  ASSERT_TRUE(store_->CreateUser({kUser, "sec@acme.example", 1}));
  ASSERT_TRUE(store_->PutMembership({kUser, kOrg, "owner"}, std::nullopt));
  ASSERT_TRUE(store_->PutAgents({{kOrg, "a1", "online", 1, "{}"}}));
  ASSERT_TRUE(store_->GrantZoneSuffix(kOrg, "rpz.acme.example"));
  OrgContents held = *store_->ContentsOf(kOrg);
  EXPECT_EQ(held.lists, 1);
  EXPECT_EQ(held.policy_objects, 1);
  EXPECT_EQ(held.api_keys, 1);
  EXPECT_EQ(held.members, 1);
  EXPECT_EQ(held.agents, 1);
  EXPECT_EQ(held.zone_grants, 1);
  EXPECT_EQ(store_->DeleteOrg(kOrg, Aud(kOrg, "delete"), /*only_if_empty=*/true).error().code, Errc::kInUse);
  EXPECT_TRUE(*store_->FindOrg(kOrg));  // refused whole
  ASSERT_TRUE(store_->DeleteOrg(kOrg, {0, kOrg, kOrg, "organization", "Acme", "admin", "delete", 9, "{}"}, false));
  EXPECT_FALSE(*store_->FindOrg(kOrg));
  EXPECT_EQ(store_->ContentsOf(kOrg)->Total(), 0);
  EXPECT_FALSE(*store_->FindApiKey("t1"));
  EXPECT_TRUE(store_->MembershipsOfUser(kUser)->empty());
  EXPECT_TRUE((*store_->FindUser(kUser)).has_value());  // users outlive their organizations
  EXPECT_EQ(store_->LoadLists(kOtherOrg)->size(), 1u);  // nobody else's data
  EXPECT_EQ((*store_->ReadAudit(kOrg, kOrg, 0, 10))[0].action, "delete");
  EXPECT_EQ(store_->DeleteOrg(kOrg, Aud(kOrg, "delete"), false).error().code, Errc::kNotFound);
  EXPECT_EQ(*store_->CheckIntegrity(), std::vector<std::string>{"ok"});
}

TEST_P(StoreContract, ListLifecycle) {
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  ListChange upd;
  upd.op = ListChange::Op::kUpdate;
  upd.list = {"L1", kOrg, "ip", "uno", "allow", "d", std::nullopt, 1, {}};
  upd.removals = {"1.2.3.4"};
  upd.upserts = {{"5.6.7.0/24", "netmask", "changed", std::nullopt, 2}, {"9.9.9.9", "ip", "", std::nullopt, 3}};
  upd.audit = {0, kOrg, "L1", "ip", "uno", "key:tok", "update", 11, "{}"};
  ASSERT_TRUE(store_->Apply(upd));
  auto lists = store_->LoadLists(kOrg);
  ASSERT_TRUE(lists);
  ASSERT_EQ(lists->size(), 1u);
  const ListRecord& l = (*lists)[0];
  EXPECT_EQ(l.name, "uno");
  EXPECT_EQ(l.list_type, "allow");
  ASSERT_EQ(l.entries.size(), 2u);
  EXPECT_EQ(l.entries[0].value, "5.6.7.0/24");
  EXPECT_EQ(l.entries[0].comments, "changed");
  EXPECT_EQ(l.entries[1].value, "9.9.9.9");
  auto audit = store_->ReadAudit(kOrg, "L1", 0, 10);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "update");  // newest first
  EXPECT_EQ(*store_->CountAudit(kOrg, ""), 2);
  EXPECT_EQ(store_->ReadAudit(kOrg, "", 1, 10)->size(), 1u);
}

TEST_P(StoreContract, DuplicateListNameIsRejectedPerKindIgnoringCase) {
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  auto dup = store_->Apply(Create("L2", "ONE"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::kConflict);
  ListChange other = Create("L3", "one");
  other.list.kind = "domain";
  other.upserts = {};
  EXPECT_TRUE(store_->Apply(other));
}

TEST_P(StoreContract, ChangesAppliedTogetherLandAllOrNone) {
  const ListChange both[] = {Create("L1", "one"), Create("L2", "two")};
  ASSERT_TRUE(store_->ApplyAll(both));
  EXPECT_EQ(store_->LoadLists(kOrg)->size(), 2u);
  EXPECT_EQ(*store_->CountAudit(kOrg, ""), 2);  // one audit record per change
  const ListChange doomed[] = {Create("L3", "three"), Create("L4", "ONE")};  // the second clashes
  auto r = store_->ApplyAll(doomed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kConflict);
  EXPECT_EQ(store_->LoadLists(kOrg)->size(), 2u);  // L3 rolled back with it
  EXPECT_EQ(*store_->CountAudit(kOrg, ""), 2);
}

TEST_P(StoreContract, FailedChangeLeavesNothingBehind) {
  ListChange upd = Create("missing", "x");
  upd.op = ListChange::Op::kUpdate;  // the list does not exist: the whole change must roll back
  EXPECT_FALSE(store_->Apply(upd));
  EXPECT_EQ(*store_->CountAudit(kOrg, ""), 0);
  EXPECT_TRUE(store_->LoadLists(kOrg)->empty());
}

TEST_P(StoreContract, ReplaceAndDeleteCascade) {
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  ListChange put = Create("L1", "one");
  put.op = ListChange::Op::kUpdate;
  put.replace_entries = true;
  put.upserts = {{"8.8.8.8", "ip", "", std::nullopt, 3}};
  ASSERT_TRUE(store_->Apply(put));
  EXPECT_EQ((*store_->LoadLists(kOrg))[0].entries.size(), 1u);
  ListChange del = Create("L1", "one");
  del.op = ListChange::Op::kDelete;
  del.upserts = {};
  ASSERT_TRUE(store_->Apply(del));
  EXPECT_TRUE(store_->LoadLists(kOrg)->empty());
  EXPECT_EQ(*store_->CountAudit(kOrg, "L1"), 3);
}

TEST_P(StoreContract, SurvivesReopen) {
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  store_.reset();
  store_ = Open();
  auto lists = store_->LoadLists(kOrg);
  if (!GetParam().persistent) {  // documented: ":memory:" is private to the connection
    EXPECT_TRUE(lists->empty());
    return;
  }
  ASSERT_EQ(lists->size(), 1u);
  EXPECT_EQ((*lists)[0].entries.size(), 2u);
}

TEST_P(StoreContract, PolicyObjectsAndZoneVersions) {
  ASSERT_TRUE(store_->PutPolicyObject({kOrg, "policy", "P1", "corp", 1, "{}"}, Aud("P1")));
  ASSERT_TRUE(store_->PutPolicyObject({kOrg, "policy", "P2", "lab", 2, "{}"}, Aud("P2")));
  EXPECT_EQ(store_->PutPolicyObject({kOrg, "policy", "P3", "corp", 3, "{}"}, Aud("P3")).error().code, Errc::kConflict);
  ASSERT_TRUE(store_->PutPolicyObject({kOrg, "policy", "P1", "corp2", 1, R"({"v":2})"}, Aud("P1")));  // by id
  auto all = store_->ListPolicyObjects("", "policy");
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "corp2");
  EXPECT_EQ((*all)[0].doc, R"({"v":2})");
  EXPECT_TRUE(store_->ListPolicyObjects(kOrg, "device")->empty());
  EXPECT_EQ(store_->DeletePolicyObject(kOrg, "policy", "nope", Aud("nope", "delete")).error().code, Errc::kNotFound);
  ASSERT_TRUE(store_->DeletePolicyObject(kOrg, "policy", "P2", Aud("P2", "delete")));
  EXPECT_EQ(store_->ListPolicyObjects(kOrg, "policy")->size(), 1u);
  // Every change left its audit record; a refused one left none.
  EXPECT_EQ(*store_->CountAudit(kOrg, "P1"), 2);
  EXPECT_EQ(*store_->CountAudit(kOrg, "P2"), 2);  // put, delete
  EXPECT_EQ(*store_->CountAudit(kOrg, "P3"), 0);
  EXPECT_EQ(*store_->CountAudit(kOrg, "nope"), 0);
  // Versions: appended in order, trimmed to the newest `keep`.
  for (uint32_t s = 10; s < 15; ++s) {
    std::optional<uint32_t> from = s == 10 ? std::nullopt : std::optional<uint32_t>(s - 1);
    ASSERT_TRUE(store_->AppendZoneVersion({"z.rpz", s, from, "+a .", "h" + std::to_string(s), s}, 3));
  }
  auto v = store_->ZoneVersions("z.rpz");
  ASSERT_EQ(v->size(), 3u);
  EXPECT_EQ((*v)[0].serial, 12u);
  EXPECT_EQ((*v)[2].serial, 14u);
  EXPECT_EQ((*v)[2].from_serial, 13u);
  EXPECT_EQ((*v)[2].content_hash, "h14");
  EXPECT_TRUE(store_->ZoneVersions("other")->empty());
}

TEST_P(StoreContract, PolicyListReferencesAreKeptAtomically) {
  ASSERT_TRUE(store_->Apply(Create("L1", "one")));
  ASSERT_TRUE(store_->Apply(Create("L2", "two")));
  // A policy naming a list that does not exist is refused whole.
  auto bad = store_->PutPolicyObject({kOrg, "policy", "P1", "corp", 1, "{}", {"L1", "gone"}}, Aud("P1"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalid);
  EXPECT_TRUE(store_->ListPolicyObjects(kOrg, "policy")->empty());
  ASSERT_TRUE(store_->PutPolicyObject({kOrg, "policy", "P1", "corp", 1, "{}", {"L1", "L2"}}, Aud("P1")));
  // A list a policy names cannot be deleted; the list and its entries stay.
  ListChange del = Create("L1", "one");
  del.op = ListChange::Op::kDelete;
  del.upserts.clear();
  auto refused = store_->Apply(del);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kInUse);
  EXPECT_EQ(store_->LoadLists(kOrg)->size(), 2u);
  // Re-putting the policy without L1 releases it; deleting the policy releases L2.
  ASSERT_TRUE(store_->PutPolicyObject({kOrg, "policy", "P1", "corp", 1, "{}", {"L2"}}, Aud("P1")));
  auto released = store_->Apply(del);
  ASSERT_TRUE(released) << released.error().detail;
  del.list.id = del.audit.list_id = "L2";
  EXPECT_EQ(store_->Apply(del).error().code, Errc::kInUse);
  ASSERT_TRUE(store_->DeletePolicyObject(kOrg, "policy", "P1", Aud("P1", "delete")));
  ASSERT_TRUE(store_->Apply(del));
  EXPECT_TRUE(store_->LoadLists(kOrg)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace rampart::store
