#include <gtest/gtest.h>

#include "http/framing.hpp"

namespace rampart::http {
namespace {

namespace bh = boost::beast::http;

bh::request_header<> Head(int version, std::initializer_list<std::pair<const char*, const char*>> fields) {
  bh::request_header<> h;
  h.version(version);
  h.method(bh::verb::post);
  h.target("/");
  for (const auto& [k, v] : fields) h.insert(k, v);
  return h;
}

TEST(Framing, OnlyExactlyChunkedTransferEncodingIsAccepted) {
  EXPECT_FALSE(FramingError(Head(11, {{"Host", "a"}, {"Transfer-Encoding", "chunked"}})));
  EXPECT_FALSE(FramingError(Head(11, {{"Host", "a"}, {"Transfer-Encoding", " Chunked "}})));
  for (const char* te : {"xchunked", "gzip", "identity", "chunked, identity", "gzip, chunked", "chunked, chunked", ""}) {
    EXPECT_TRUE(FramingError(Head(11, {{"Host", "a"}, {"Transfer-Encoding", te}}))) << te;
  }
  // Split over two fields, the final coding is what counts.
  EXPECT_TRUE(FramingError(Head(11, {{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "identity"}})));
  EXPECT_TRUE(FramingError(Head(11, {{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}})));
}

TEST(Framing, HostRules) {
  EXPECT_TRUE(FramingError(Head(11, {})));
  EXPECT_TRUE(FramingError(Head(11, {{"Host", "a"}, {"Host", "b"}})));
  EXPECT_TRUE(FramingError(Head(10, {{"Host", "a"}, {"Host", "a"}})));
  EXPECT_FALSE(FramingError(Head(10, {})));  // HTTP/1.0 may omit Host
  EXPECT_FALSE(FramingError(Head(11, {{"Host", "a"}, {"Content-Length", "3"}})));
}

TEST(Framing, RawHeadRefusesObsFoldAndBareCr) {
  EXPECT_FALSE(RawHeadError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\r\n"));
  EXPECT_TRUE(RawHeadError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n"));
  EXPECT_TRUE(RawHeadError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n"));
  EXPECT_TRUE(RawHeadError("GET / HTTP/1.1\r\nHost: a\rX-A: b\r\n\r\n"));
  EXPECT_TRUE(RawHeadError("GET / HTTP/1.1\r\nHost: a\r"));  // a CR as the last byte
  EXPECT_TRUE(RawHeadError("\rGET / HTTP/1.1\r\n\r\n"));     // and as the first
}

}  // namespace
}  // namespace rampart::http
