// The record grammar of record.hpp, piece by piece; whole recorded events are in golden_test.
#include "audit/record.hpp"

#include "audit/event.hpp"

#include <gtest/gtest.h>

namespace rampart::audit {
namespace {

TEST(AuditRecord, HeaderFieldsAndHexEncodedArguments) {
  auto r = ParseRecord(
      "type=EXECVE msg=audit(1700000000.123:42): argc=3 a0=\"/bin/echo\" a1=68656C6C6F20776F726C64 a2=\"x y\"\n");
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->type, "EXECVE");
  EXPECT_EQ(r->time_ms, 1700000000123);
  EXPECT_EQ(r->serial, 42u);
  EXPECT_EQ(r->Int("argc"), 3);
  EXPECT_EQ(r->Text("a0"), "/bin/echo");
  EXPECT_EQ(r->Text("a1"), "hello world");
  EXPECT_EQ(r->Text("a2"), "x y");  // quoted text is never decoded
  EXPECT_EQ(r->Text("missing"), "");
  EXPECT_EQ(r->Int("missing", 7), 7);
}

TEST(AuditRecord, NumbersThatLookLikeHexAreNotDecoded) {
  auto r = ParseRecord("type=USER_LOGIN msg=audit(1.000:1): pid=10 uid=0 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" "
                       "hostname=? addr=10.1.2.3 terminal=ssh res=failed'");
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->Int("id"), 1000);
  EXPECT_EQ(r->Text("id"), "1000");
  EXPECT_EQ(r->Text("addr"), "10.1.2.3");
  EXPECT_EQ(r->Text("hostname"), "");  // "?" is no value
  EXPECT_EQ(r->Text("res"), "failed");
  EXPECT_EQ(r->Text("exe"), "/usr/sbin/sshd");
}

TEST(AuditRecord, EnrichedValuesFollowTheGroupSeparator) {
  auto r = ParseRecord(
      "node=web-1 type=SOCKADDR msg=audit(5.5:9): saddr=0200\x1dSADDR={ saddr_fam=inet laddr=1.2.3.4 lport=80 } UID=\"root\"");
  ASSERT_TRUE(r) << r.error().detail;
  ASSERT_EQ(r->fields.size(), 1u);
  ASSERT_NE(r->FindEnriched("SADDR"), nullptr);
  EXPECT_EQ(r->FindEnriched("SADDR")->value, " saddr_fam=inet laddr=1.2.3.4 lport=80 ");
  EXPECT_EQ(r->FindEnriched("UID")->value, "root");
  EXPECT_EQ(r->Find("UID"), nullptr);
}

TEST(AuditRecord, ProctitleNulsBecomeSpacesAndNullIsEmpty) {
  auto r = ParseRecord("type=PROCTITLE msg=audit(1.0:2): proctitle=6C73002D6C00 exe=(null)");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Text("proctitle"), "ls -l");
  EXPECT_EQ(r->Text("exe"), "");
}

TEST(AuditRecord, MalformedTextIsRefusedWithItsOffset) {
  for (const char* bad : {"", "hello", "type=SYSCALL", "type=SYSCALL msg=audit(1.2:3)", "type=X msg=audit(a.b:c): x=1",
                          "type=X msg=audit(1.2:3): novalue", "type=X msg=audit(1.2:3): a=\"open",
                          "type=X msg=audit(1.2:3): msg='op=1", "type=X msg=audit(1.2:3): =1",
                          "type=X msg=audit(1.2000:3): a=1", "type=X msg=audit(-1.2:3): a=1"}) {
    auto r = ParseRecord(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().detail.find("offset"), std::string::npos) << r.error().detail;
  }
}

TEST(AuditRecord, SizesAreBounded) {
  std::string many = "type=X msg=audit(1.2:3):";
  for (size_t i = 0; i <= kMaxFieldsPerRecord; ++i) many += " a=";  // short enough to pass the byte limit
  EXPECT_FALSE(ParseRecord(many));
  std::string longest = "type=X msg=audit(1.2:3): a=" + std::string(kMaxRecordBytes, 'x');
  EXPECT_FALSE(ParseRecord(longest));
}

TEST(AuditRecord, EncodableNames) {
  for (const char* n : {"a0", "a12", "a3[1]", "cwd", "exe", "comm", "proctitle", "acct", "name", "key"}) {
    EXPECT_TRUE(IsEncodable(n)) << n;
  }
  for (const char* n : {"a", "a0_len", "argc", "arch", "id", "pid", "addr", "ab"}) EXPECT_FALSE(IsEncodable(n)) << n;
}

TEST(AuditText, CleanTextIsValidUtf8WithinItsJsonBudget) {
  EXPECT_EQ(CleanText("plain", 100), "plain");
  EXPECT_EQ(CleanText("a\xff" "b", 100), "a\xEF\xBF\xBD" "b");           // a stray byte
  EXPECT_EQ(CleanText("\xC3", 100), "\xEF\xBF\xBD");                    // a cut character
  EXPECT_EQ(CleanText("\xED\xA0\x80", 100), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(CleanText("\xC3\xA9t\xC3\xA9", 100), "\xC3\xA9t\xC3\xA9");   // été stays
  EXPECT_EQ(CleanText("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9");               // never half a character
  EXPECT_EQ(CleanText(std::string(10, '\x01'), 12), std::string(2, '\x01'));  // \u0001 is six
  EXPECT_EQ(CleanText("\"\"\"", 4), "\"\"");
}

}  // namespace
}  // namespace rampart::audit
