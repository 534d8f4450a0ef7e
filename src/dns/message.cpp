#include "dns/message.hpp"

namespace rampart::dns {
namespace {

uint16_t U16(std::span<const uint8_t> w, size_t p) { return static_cast<uint16_t>(w[p] << 8 | w[p + 1]); }
uint32_t U32(std::span<const uint8_t> w, size_t p) {
  return static_cast<uint32_t>(w[p]) << 24 | static_cast<uint32_t>(w[p + 1]) << 16 |
         static_cast<uint32_t>(w[p + 2]) << 8 | w[p + 3];
}

// Skips one RR at `pos`; returns its type and the RDATA span, or nullopt when truncated.
struct RrView {
  uint16_t type = 0;
  size_t rdata = 0, rdlength = 0;
};
std::optional<RrView> SkipRr(std::span<const uint8_t> w, size_t& pos) {
  if (!ReadName(w, pos)) return std::nullopt;
  if (pos + 10 > w.size()) return std::nullopt;
  RrView rr{U16(w, pos), pos + 10, U16(w, pos + 8)};
  pos += 10;
  if (pos + rr.rdlength > w.size()) return std::nullopt;
  pos += rr.rdlength;
  return rr;
}

}  // namespace

std::optional<std::string> ReadName(std::span<const uint8_t> w, size_t& pos) {
  std::string name;
  size_t p = pos;
  // After a compression jump, everything read must lie before the pointer that jumped, so that
  // a name never overlaps itself or what follows it (a reply that echoes the question would
  // otherwise read bytes it does not contain).
  size_t limit = w.size();
  bool jumped = false;
  size_t total = 1;
  for (int hops = 0;;) {
    if (p >= limit) return std::nullopt;
    const uint8_t len = w[p];
    if (len == 0) {
      if (!jumped) pos = p + 1;
      return name;
    }
    if ((len & 0xC0) == 0xC0) {
      if (p + 1 >= limit || ++hops > 64) return std::nullopt;
      const size_t target = static_cast<size_t>(len & 0x3F) << 8 | w[p + 1];
      // Only backwards (no loops), and never into the 12-byte header, where no name lives.
      if (target >= p || target < 12) return std::nullopt;
      if (!jumped) pos = p + 2;
      jumped = true;
      limit = p;
      p = target;
      continue;
    }
    if (len & 0xC0) return std::nullopt;  // extended label types are not supported
    if (p + 1 + len >= limit) return std::nullopt;  // the label and the byte after it
    total += len + 1u;
    if (total > 255) return std::nullopt;
    if (!name.empty()) name += '.';
    for (size_t i = 0; i < len; ++i) {
      char c = static_cast<char>(w[p + 1 + i]);
      name += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    p += 1 + len;
  }
}

std::optional<Query> ParseMessage(std::span<const uint8_t> w) {
  if (w.size() < 12) return std::nullopt;
  Query q;
  Header& h = q.header;
  h.id = U16(w, 0);
  h.qr = w[2] & 0x80;
  h.opcode = (w[2] >> 3) & 0x0F;
  h.aa = w[2] & 0x04;
  h.tc = w[2] & 0x02;
  h.rd = w[2] & 0x01;
  h.rcode = w[3] & 0x0F;
  h.qdcount = U16(w, 4);
  h.ancount = U16(w, 6);
  h.nscount = U16(w, 8);
  h.arcount = U16(w, 10);
  size_t pos = 12;
  if (h.qdcount != 1) {
    if (h.qr && h.qdcount == 0) return q;
    return std::nullopt;
  }
  auto name = ReadName(w, pos);
  if (!name || pos + 4 > w.size()) return std::nullopt;
  q.qname = std::move(*name);
  q.qtype = U16(w, pos);
  q.qclass = U16(w, pos + 2);
  pos += 4;
  q.question_end = pos;
  for (uint32_t i = 0; i < h.ancount; ++i) {
    if (!SkipRr(w, pos)) return std::nullopt;
  }
  for (uint32_t i = 0; i < h.nscount; ++i) {
    auto rr = SkipRr(w, pos);
    if (!rr) return std::nullopt;
    if (rr->type == kTypeSoa && q.qtype == kTypeIxfr && !q.client_serial) {
      size_t p = rr->rdata;
      if (!ReadName(w, p) || !ReadName(w, p) || p + 20 > rr->rdata + rr->rdlength) return std::nullopt;
      q.client_serial = U32(w, p);
    }
  }
  for (uint32_t i = 0; i < h.arcount; ++i) {
    const size_t start = pos;
    auto rr = SkipRr(w, pos);
    if (!rr) return std::nullopt;
    if (rr->type == kTypeTsig) {
      if (i + 1 != h.arcount) return std::nullopt;  // TSIG must be the last RR (RFC 8945 §5.1)
      q.tsig_offset = start;
    }
  }
  if (q.qtype == kTypeIxfr && !q.client_serial && !h.qr) return std::nullopt;
  return q;
}

void Writer::PutHeader(const Header& h) {
  PutU16(h.id);
  buf_.push_back(static_cast<uint8_t>((h.qr ? 0x80 : 0) | (h.opcode & 0x0F) << 3 | (h.aa ? 0x04 : 0) |
                                      (h.tc ? 0x02 : 0) | (h.rd ? 0x01 : 0)));
  buf_.push_back(h.rcode & 0x0F);
  PutU16(h.qdcount);
  PutU16(h.ancount);
  PutU16(h.nscount);
  PutU16(h.arcount);
}

bool Writer::PutName(std::string_view name) {
  if (!PutNameUnderOrigin(name)) return false;
  buf_.resize(buf_.size() - 2);  // drop the pointer written by PutNameUnderOrigin
  buf_.push_back(0);
  return true;
}

bool Writer::PutNameUnderOrigin(std::string_view relative) {
  const size_t start = buf_.size();
  size_t total = 0;
  while (!relative.empty()) {
    size_t dot = relative.find('.');
    std::string_view label = relative.substr(0, dot);
    if (label.empty() || label.size() > 63 || (total += label.size() + 1) > 254) {
      buf_.resize(start);
      return false;
    }
    buf_.push_back(static_cast<uint8_t>(label.size()));
    buf_.insert(buf_.end(), label.begin(), label.end());
    relative = dot == std::string_view::npos ? std::string_view{} : relative.substr(dot + 1);
  }
  buf_.push_back(0xC0);
  buf_.push_back(12);
  return true;
}

bool Writer::PutNameCompressed(std::string_view relative) {
  const size_t start = buf_.size();
  std::string_view rest = relative;
  std::vector<std::pair<std::string_view, size_t>> fresh;  // suffixes written here, and where
  while (!rest.empty()) {
    if (auto it = suffixes_.find(rest); it != suffixes_.end()) {
      PutU16(static_cast<uint16_t>(0xC000 | it->second));
      break;
    }
    size_t dot = rest.find('.');
    std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > 63 || buf_.size() - start + label.size() + 3 > 255) {
      buf_.resize(start);
      return false;
    }
    fresh.emplace_back(rest, buf_.size());
    buf_.push_back(static_cast<uint8_t>(label.size()));
    buf_.insert(buf_.end(), label.begin(), label.end());
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  if (rest.empty()) {  // reached the origin
    buf_.push_back(0xC0);
    buf_.push_back(12);
  }
  for (const auto& [suffix, at] : fresh) {
    if (at < 0x4000) suffixes_.emplace(std::string(suffix), static_cast<uint16_t>(at));
  }
  return true;
}

void Writer::PutU16(uint16_t v) {
  buf_.push_back(static_cast<uint8_t>(v >> 8));
  buf_.push_back(static_cast<uint8_t>(v));
}

void Writer::PutU32(uint32_t v) {
  PutU16(static_cast<uint16_t>(v >> 16));
  PutU16(static_cast<uint16_t>(v));
}

size_t Writer::BeginRr(uint16_t type, uint16_t klass, uint32_t ttl) {
  PutU16(type);
  PutU16(klass);
  PutU32(ttl);
  PutU16(0);
  return buf_.size() - 2;
}

void Writer::EndRdata(size_t length_at) {
  const size_t n = buf_.size() - length_at - 2;
  buf_[length_at] = static_cast<uint8_t>(n >> 8);
  buf_[length_at + 1] = static_cast<uint8_t>(n);
}

void Writer::PutSoaRdata(const SoaData& soa) {
  PutName(soa.mname);
  PutName(soa.rname);
  PutU32(soa.serial);
  PutU32(soa.refresh);
  PutU32(soa.retry);
  PutU32(soa.expire);
  PutU32(soa.minimum);
}

void Writer::SetCounts(uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar) {
  const uint16_t v[4] = {qd, an, ns, ar};
  for (int i = 0; i < 4; ++i) {
    buf_[4 + 2 * i] = static_cast<uint8_t>(v[i] >> 8);
    buf_[5 + 2 * i] = static_cast<uint8_t>(v[i]);
  }
}

bool SerialNewer(uint32_t a, uint32_t b) {
  return a != b && ((a > b && a - b < 0x80000000u) || (a < b && b - a > 0x80000000u));
}

}  // namespace rampart::dns
