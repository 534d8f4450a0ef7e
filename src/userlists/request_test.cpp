#include "userlists/request.hpp"

#include <gtest/gtest.h>

#include "base/error_testing.hpp"

#include <boost/json.hpp>

namespace rampart::userlists {
namespace {

ParseOptions Opts() { return {DateOrder::kMdy, *Date::FromYmd(2026, 11, 22)}; }

testing::Why Code(const char* body, ListKind k = ListKind::kIp, BodyKind w = BodyKind::kCreate) {
  auto r = ParseListBody(boost::json::parse(body), k, w, Opts());
  return testing::Of(r);
}

}  // namespace

TEST(ListBody, SeedCreateBody) {
  auto r = ParseListBody(boost::json::parse(R"({"addresses":[{"comments":"created via API","value":"1.2.3.4"},
      {"comments":"will expire soon","expires":"03/29/2030","value":"4.3.2.1/32"}],
      "list_name":"api1test","list_type":"block","shared":false})"),
                         ListKind::kIp, BodyKind::kCreate, Opts());
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(*r->name, "api1test");
  ASSERT_EQ(r->addresses->size(), 2u);
  EXPECT_EQ((*r->addresses)[1].expires->ToString(), "2030-03-29");
  EXPECT_EQ((*r->addresses)[1].value.address_type, "netmask");
}

TEST(ListBody, ValidationCodes) {
  EXPECT_EQ(Code(R"({"list_name":"abc","object_id":"x"})"), testing::kIdInPost);
  EXPECT_EQ(Code(R"({"list_name":"seventeenletters1"})"), testing::kBadParameter);  // 17 > the default 16
  EXPECT_EQ(Code(R"({"list_name":"bad-name"})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":""})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":5})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"description":"x"})"), testing::kBadParameter);  // list_name required on create
  EXPECT_EQ(Code(R"({"list_name":"a","shared":true})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":"a","shared":"no"})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":"a","list_type":"deny"})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":"a","colour":"red"})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":"a","expires":"2019-01-01"})"), testing::kBadParameter);  // past
  EXPECT_EQ(Code(R"({"list_name":"a","expires":"someday"})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":"a","addresses":[{"value":"10.0.0.1"}]})"), testing::kForbiddenNetwork);
  EXPECT_EQ(Code(R"({"list_name":"a","addresses":[{"value":"example.com"}]})"), testing::kNotAnAddress);
  EXPECT_EQ(Code(R"({"list_name":"a","addresses":[{"value":7}]})"), testing::kNotAnAddress);
  EXPECT_EQ(Code(R"({"list_name":"a","addresses":[{"comments":"no value"}]})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":"a","addresses":{"value":"1.2.3.4"}})"), testing::kBadParameter);
  EXPECT_EQ(Code(R"([1,2])"), testing::kBadParameter);
  std::string desc(1025, 'x');
  EXPECT_EQ(Code(("{\"list_name\":\"a\",\"description\":\"" + desc + "\"}").c_str()), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":"a","expires":"2026-11-22"})"), testing::kOk);  // today is not the past
  EXPECT_EQ(Code(R"({"list_name":"a","addresses":[{"value":"1.2.3.4","address_type":"ip"}]})"), testing::kOk);
}

TEST(ListBody, ActionsDependOnMethod) {
  auto patch = ParseListBody(boost::json::parse(
                                 R"({"addresses":[{"value":"1.2.3.4","action":"remove"},
                                     {"value":"1.2.3.5","action":"ADD"},{"value":"1.2.3.6","comments":"c"}]})"),
                             ListKind::kIp, BodyKind::kPatch, Opts());
  ASSERT_TRUE(patch);
  EXPECT_EQ((*patch->addresses)[0].action, Action::kRemove);
  EXPECT_EQ((*patch->addresses)[1].action, Action::kAdd);
  EXPECT_EQ((*patch->addresses)[2].action, Action::kUpdate);
  EXPECT_EQ(Code(R"({"addresses":[{"value":"1.2.3.4","action":"remove"}]})", ListKind::kIp, BodyKind::kPut), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"addresses":[{"value":"1.2.3.4","action":"zap"}]})", ListKind::kIp, BodyKind::kPatch), testing::kBadParameter);
  EXPECT_EQ(Code(R"({"list_name":"x"})", ListKind::kIp, BodyKind::kPut), testing::kBadParameter);  // PUT needs addresses
}

}  // namespace rampart::userlists
