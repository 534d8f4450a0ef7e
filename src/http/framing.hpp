#pragma once
// Request framing checks (RFC 9112), run on the request head before any body byte is read. A
// message whose length two parties could read differently is refused (400, connection closed):
// that ambiguity is what request smuggling exploits. Pure functions, no I/O.
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace rampart::http {

// The raw head (request line and fields, through the blank line): an obs-fold line (CRLF then SP
// or HTAB, RFC 9112 §5.2) or a CR not followed by LF. Returns why, or nullopt.
std::optional<std::string> RawHeadError(std::string_view head);

// The parsed head: a Transfer-Encoding other than exactly "chunked" (§6.1; we decode no other
// coding), Transfer-Encoding together with Content-Length (§6.3), and in HTTP/1.1 a missing or
// repeated Host (§3.2; HTTP/1.0 may omit it). Returns why, or nullopt.
std::optional<std::string> FramingError(const boost::beast::http::request_header<>& head);

}  // namespace rampart::http
