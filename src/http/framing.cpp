#include "http/framing.hpp"

#include <boost/beast/core/string.hpp>

#include "base/strings.hpp"

namespace rampart::http {
namespace {

namespace bh = boost::beast::http;

// True when the Transfer-Encoding fields, joined, name exactly one coding and it is "chunked".
bool OnlyChunked(const bh::request_header<>& head) {
  int codings = 0;
  bool chunked = false;
  for (auto it = head.find(bh::field::transfer_encoding); it != head.end() && it->name() == bh::field::transfer_encoding;
       ++it) {
    std::string_view list(it->value().data(), it->value().size());
    while (true) {
      const size_t comma = list.find(',');
      std::string_view coding = Trim(list.substr(0, comma));
      if (!coding.empty()) {
        ++codings;
        chunked = boost::beast::iequals(coding, "chunked");
      }
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return codings == 1 && chunked;
}

}  // namespace

std::optional<std::string> RawHeadError(std::string_view head) {
  // Jumps from CR to CR (memchr) rather than testing every byte: a head has one per line.
  for (size_t i = head.find('\r'); i != std::string_view::npos; i = head.find('\r', i + 1)) {
    if (i + 1 >= head.size() || head[i + 1] != '\n') return "a CR not followed by LF in the request head";
    if (i + 2 < head.size() && (head[i + 2] == ' ' || head[i + 2] == '\t')) {
      return "obsolete line folding in a header field";
    }
  }
  return std::nullopt;
}

std::optional<std::string> FramingError(const bh::request_header<>& head) {
  const bool has_te = head.count(bh::field::transfer_encoding) > 0;
  if (has_te && !OnlyChunked(head)) return "unsupported Transfer-Encoding (only chunked is accepted)";
  if (has_te && head.count(bh::field::content_length) > 0) return "both Transfer-Encoding and Content-Length";
  const size_t hosts = head.count(bh::field::host);
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && head.version() >= 11) return "HTTP/1.1 request without a Host header";
  return std::nullopt;
}

}  // namespace rampart::http
