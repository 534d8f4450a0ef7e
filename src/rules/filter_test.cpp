// The filter language: every real example of agents-anchors.md §2.3 parses and means what it says;
// errors name their column; the operators, aliases, arrays, CIDRs and missing keys behave as
// filter.hpp documents.
#include "rules/filter.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace rampart::rules {
namespace {
namespace json = boost::json;

bool Match(std::string_view filter, std::string_view event) {
  auto f = CompiledFilter::Compile(filter);
  EXPECT_TRUE(f) << filter << ": " << (f ? "" : f.error().detail);
  return f && f->Matches(json::parse(event).as_object());
}

std::string ErrorOf(std::string_view filter) {
  auto f = ParseFilter(filter);
  return f ? std::string("parsed") : f.error().detail;
}

TEST(Filter, TheRealExamplesParseAndMeanWhatTheySay) {
  const char* sudo = R"({"event_type":"audit","command":"sudo","user":"alice","exe":"/usr/bin/sudo"})";
  EXPECT_TRUE(Match("command = 'sudo'", sudo));
  EXPECT_TRUE(Match("user = 'alice' OR user = 'bob'", sudo));
  EXPECT_FALSE(Match("user = 'carol' OR user = 'bob'", sudo));
  EXPECT_TRUE(Match(R"(command = "sudo")", sudo));
  const char* wan = R"(event_type = "audit" and syscall = "connect" and (connection.dst_addr != "127.0.0.0/8" and
      connection.dst_addr != "::1/128" and connection.dst_addr != "::" and connection.dst_addr != "0.0.0.0" and
      connection.dst_addr != "169.254.0.0/16"))";
  EXPECT_TRUE(Match(wan, R"({"event_type":"audit","syscall":"connect","connection":{"dst_addr":"93.184.216.34"}})"));
  EXPECT_FALSE(Match(wan, R"({"event_type":"audit","syscall":"connect","connection":{"dst_addr":"127.0.0.53"}})"));
  EXPECT_FALSE(Match(wan, R"({"event_type":"audit","syscall":"connect","connection":{"dst_addr":"169.254.169.254"}})"));
  EXPECT_FALSE(Match(wan, R"({"event_type":"audit","syscall":"connect","connection":{"dst_addr":"::1"}})"));
  EXPECT_FALSE(Match(wan, R"({"event_type":"audit","syscall":"open","connection":{"dst_addr":"93.184.216.34"}})"));
  // connection.addr is the same field (the documented alias), flat keys work as nested ones.
  EXPECT_TRUE(Match(wan, R"({"event_type":"audit","syscall":"connect","connection.addr":"8.8.8.8"})"));
  const char* sysctl = R"({"user":"root","exe":"/sbin/sysctl","arguments":"/sbin/sysctl","agent_id":"dfe3cc18-1"})";
  EXPECT_TRUE(Match(R"(user = "root" and exe = "/sbin/sysctl" and arguments = "/sbin/sysctl" and agent_id = "dfe3cc18-1")", sysctl));
  EXPECT_TRUE(Match(R"(agent_id="dfe3cc18-1")", sysctl));  // no spaces
  const char* scan = R"(cwd starts_with "/opt/rapid7" or cwd starts_with "/home/insightvm" or user starts_with "insightvm")";
  EXPECT_TRUE(Match(scan, R"({"cwd":"/opt/rapid7/bin","user":"x"})"));
  EXPECT_TRUE(Match(scan, R"({"cwd":"/tmp","user":"insightvm-agent"})"));
  EXPECT_FALSE(Match(scan, R"({"cwd":"/tmp","user":"root"})"));
  const char* keepalive = R"((user = "root" and exe like "/sbin/sysctl" and arguments like "sysctl -n") and (arguments like "net.ipv4.tcp_keepalive_intvl" or arguments like "net.ipv4.tcp_keepalive_time"))";
  EXPECT_TRUE(Match(keepalive, R"({"user":"root","exe":"/sbin/sysctl","arguments":"sysctl -n net.ipv4.tcp_keepalive_time"})"));
  EXPECT_FALSE(Match(keepalive, R"({"user":"root","exe":"/sbin/sysctl","arguments":"sysctl -n vm.swappiness"})"));
  const char* logins = R"(group = "authentication-failed" or group = "invalid_login" OR group = "authentication_failed" or group like "fail")";
  EXPECT_TRUE(Match(logins, R"({"event_type":"host","group":["invalid_login","syslog"]})"));  // array: membership
  EXPECT_TRUE(Match(logins, R"({"event_type":"host","group":["pam","login_failure"]})"));    // like on an element
  EXPECT_FALSE(Match(logins, R"({"event_type":"host","group":["pam","login"]})"));
  const char* net = R"(event_type="network" and src_ip starts_with "10.1.242")";
  EXPECT_TRUE(Match(net, R"({"event_type":"network","src_ip":"10.1.242.7"})"));
  EXPECT_TRUE(Match(R"(src_ip ends_with ".7")", R"({"src_ip":"10.1.242.7"})"));
  EXPECT_TRUE(Match(R"(event_type = "host" and sigid = "5902")", R"({"event_type":"host","sigid":5902})"));  // a number
}

TEST(Filter, KeywordsAnyCaseValuesAndKeysExact) {
  EXPECT_TRUE(Match("user = 'a' AnD command STARTS_WITH 'su'", R"({"user":"a","command":"sudo"})"));
  EXPECT_FALSE(Match("user = 'A'", R"({"user":"a"})"));
  EXPECT_TRUE(Match("not user = 'b'", R"({"user":"a"})"));
  EXPECT_TRUE(Match(R"(command = 'it\'s')", R"({"command":"it's"})"));
  EXPECT_TRUE(Match("pid = 42 and success = true", R"({"pid":42,"success":true})"));
  EXPECT_TRUE(Match("command == 'x'", R"({"command":"x"})"));
  EXPECT_TRUE(Match("command contains 'ud'", R"({"command":"sudo"})"));
}

TEST(Filter, BareValuesKeysDoublesNotAndMappedAddresses) {
  EXPECT_TRUE(Match("exe = /usr/bin/g++ and user = a@b", R"({"exe":"/usr/bin/g++","user":"a@b"})"));
  EXPECT_EQ(ErrorOf("1user = 'a'"), "filter: column 1: expected a key");
  EXPECT_EQ(ErrorOf("us/er = 'a'"), "filter: column 1: expected a key");
  EXPECT_TRUE(Match("pid = 42", R"({"pid":42.0})"));  // a whole double is its integer text
  EXPECT_TRUE(Match("level = 2.5", R"({"level":2.5})"));
  EXPECT_TRUE(Match("not user = 'x'", R"({"exe":"/bin/ls"})"));  // not negates what is under it
  EXPECT_TRUE(Match("src_ip starts_with '10.1.242'", R"({"src_ip":"::ffff:10.1.242.7"})"));
  EXPECT_TRUE(Match("src_ip = '::ffff:10.1.242.7'", R"({"src_ip":"10.1.242.7"})"));
  const char* wan = "connection.dst_addr != '127.0.0.0/8' and connection.dst_addr != '::' and connection.dst_addr != '0.0.0.0'";
  EXPECT_FALSE(Match(wan, R"({"connection":{"dst_addr":"::ffff:127.0.0.1"}})"));
  EXPECT_FALSE(Match(wan, R"({"connection":{"dst_addr":"::"}})"));
  EXPECT_FALSE(Match(wan, R"({"connection":{"dst_addr":"0.0.0.0"}})"));
}

TEST(Filter, LimitsAreExact) {
  std::string deep(kMaxDepth, '(');
  EXPECT_EQ(ErrorOf(deep + "user = 'a'" + std::string(kMaxDepth, ')')), "parsed");
  std::string at = "user = 'a'";
  for (size_t i = 1; i < kMaxComparisons; ++i) at += " or user = 'a'";
  EXPECT_EQ(ErrorOf(at), "parsed");
}

TEST(Filter, CidrsMissingKeysUnknownKeysAndAliases) {
  EXPECT_TRUE(Match("dst_ip = '10.0.0.0/8'", R"({"dst_ip":"10.2.3.4"})"));
  EXPECT_FALSE(Match("dst_ip = '10.0.0.0/8'", R"({"dst_ip":"11.2.3.4"})"));
  EXPECT_TRUE(Match("dst_ip = '10.2.3.4'", R"({"dst_ip":"::ffff:10.2.3.4"})"));  // IPv4-mapped
  EXPECT_TRUE(Match("ip = '192.0.2.0/24'", R"({"src_ip":"10.0.0.1","dst_ip":"192.0.2.9"})"));  // either address
  EXPECT_TRUE(Match("port = 22", R"({"src_port":51000,"dst_port":22})"));
  // A key the event lacks makes every comparison false, != included.
  EXPECT_FALSE(Match("user != 'root'", R"({"exe":"/bin/ls"})"));
  EXPECT_FALSE(Match("user = 'root'", R"({"exe":"/bin/ls"})"));
  // A key the language does not know never matches, and is reported.
  auto f = CompiledFilter::Compile("colour = 'red' or user = 'a'");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->unknown_keys(), std::vector<std::string>{"colour"});
  EXPECT_TRUE(f->Matches(json::parse(R"({"colour":"red","user":"a"})").as_object()));
  EXPECT_FALSE(f->Matches(json::parse(R"({"colour":"red","user":"b"})").as_object()));
  EXPECT_FALSE(Match("colour != 'blue'", R"({"colour":"red"})"));
}

TEST(Filter, ErrorsNameTheColumn) {
  EXPECT_EQ(ErrorOf("user = "), "filter: column 8: expected a value after '='");
  EXPECT_EQ(ErrorOf("user 'root'"), "filter: column 6: expected an operator (=, !=, starts_with, ends_with, like) after 'user'");
  EXPECT_EQ(ErrorOf("(user = 'a'"), "filter: column 12: expected ')' closing the '(' at column 1");
  EXPECT_EQ(ErrorOf("user = 'a' user = 'b'"), "filter: column 12: expected 'and', 'or' or the end of the filter");
  EXPECT_EQ(ErrorOf("user = 'a"), "filter: column 8: a quoted value is not closed");
  EXPECT_EQ(ErrorOf("user ! 'a'"), "filter: column 6: '!' must be followed by '='");
  EXPECT_EQ(ErrorOf("user = 'a' and"), "filter: column 15: expected a key, found the end of the filter");
  EXPECT_EQ(ErrorOf("   "), "filter: empty");
  EXPECT_EQ(ErrorOf("user = 'a' ; drop"), "filter: column 12: expected 'and', 'or' or the end of the filter");
  std::string deep(kMaxDepth + 1, '(');
  EXPECT_NE(ErrorOf(deep + "user = 'a'").find("nested deeper"), std::string::npos);
  std::string many = "user = 'a'";
  for (size_t i = 0; i < kMaxComparisons; ++i) many += " or user = 'a'";
  EXPECT_NE(ErrorOf(many).find("more than"), std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMaxFilterBytes + 1, ' ')).find("longer than"), std::string::npos);
}

TEST(Filter, TheAstCarriesPositions) {
  auto ast = ParseFilter("a_b = 'x' or (cwd starts_with \"/tmp\" and not user = root)");
  ASSERT_TRUE(ast);
  const Node& root = **ast;
  EXPECT_EQ(root.kind, Node::Kind::kOr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0]->key, "a_b");
  EXPECT_EQ(root.children[0]->value_column, 7u);
  const Node& inner = *root.children[1];
  EXPECT_EQ(inner.kind, Node::Kind::kAnd);
  EXPECT_EQ(inner.children[0]->column, 15u);
  EXPECT_EQ(inner.children[0]->op, Op::kStartsWith);
  EXPECT_EQ(inner.children[1]->kind, Node::Kind::kNot);
  EXPECT_EQ(inner.children[1]->children[0]->value, "root");  // a bare word
}

}  // namespace
}  // namespace rampart::rules
