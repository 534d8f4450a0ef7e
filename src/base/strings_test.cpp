#include <gtest/gtest.h>

#include "base/strings.hpp"

namespace rampart {
namespace {

TEST(EscapeForLog, KeepsPrintableAsciiAndEscapesEverythingElse) {
  EXPECT_EQ(EscapeForLog("corp.rpz.rampart"), "corp.rpz.rampart");
  EXPECT_EQ(EscapeForLog("a\nb"), "a\\x0ab");
  EXPECT_EQ(EscapeForLog("a\r\nb"), "a\\x0d\\x0ab");
  EXPECT_EQ(EscapeForLog(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(EscapeForLog("say \"hi\" \\ bye"), "say \\\"hi\\\" \\\\ bye");
  EXPECT_EQ(EscapeForLog("\xff\xfe"), "\\xff\\xfe");        // invalid UTF-8
  EXPECT_EQ(EscapeForLog("\xc3\xa9"), "\\xc3\\xa9");        // valid UTF-8 too: logs stay ASCII
  EXPECT_EQ(EscapeForLog("\x7f\x1b[31m"), "\\x7f\\x1b[31m");  // DEL, terminal escapes
}

}  // namespace
}  // namespace rampart
