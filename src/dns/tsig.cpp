#include "dns/tsig.hpp"

#include "crypto/crypto.hpp"

namespace rampart::dns {
namespace {

constexpr const char* kAlgorithm = "hmac-sha256";

uint16_t U16(std::span<const uint8_t> w, size_t p) { return static_cast<uint16_t>(w[p] << 8 | w[p + 1]); }

void Put16(std::string& s, uint16_t v) {
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v & 0xFF);
}

void Put48(std::string& s, uint64_t v) {
  for (int shift = 40; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xFF);
}

// A name in canonical wire form (lower-case, uncompressed).
std::string WireName(std::string_view name) {
  Writer w(64);
  w.PutName(name);
  return std::string(w.bytes().begin(), w.bytes().end());
}

// The TSIG variables of §4.3.3 (full), or only the timers (§4.3.1 for later messages).
std::string Variables(const std::string& key_name, uint64_t time_signed, uint16_t error, std::string_view other,
                      bool full) {
  std::string v;
  if (full) {
    v += WireName(key_name);
    Put16(v, kClassAny);
    v += std::string(4, '\0');  // TTL 0
    v += WireName(kAlgorithm);
  }
  Put48(v, time_signed);
  Put16(v, kFudge);
  if (full) {
    Put16(v, error);
    Put16(v, static_cast<uint16_t>(other.size()));
    v += other;
  }
  return v;
}

std::string WithLength(std::string_view mac) {
  std::string s;
  if (mac.empty()) return s;
  Put16(s, static_cast<uint16_t>(mac.size()));
  s += mac;
  return s;
}

}  // namespace

std::optional<TsigRecord> ParseTsig(std::span<const uint8_t> w, size_t offset) {
  TsigRecord r;
  size_t p = offset;
  auto name = ReadName(w, p);
  if (!name || p + 10 > w.size() || U16(w, p) != kTypeTsig) return std::nullopt;
  const size_t rdlen = U16(w, p + 8), rd = p + 10, end = rd + rdlen;
  if (end > w.size()) return std::nullopt;
  r.key_name = *name;
  p = rd;
  auto alg = ReadName(w.first(end), p);
  if (!alg || p + 10 > end) return std::nullopt;
  r.algorithm = *alg;
  for (int i = 0; i < 6; ++i) r.time_signed = r.time_signed << 8 | w[p + i];
  r.fudge = U16(w, p + 6);
  const size_t mac_len = U16(w, p + 8);
  p += 10;
  if (p + mac_len + 6 > end) return std::nullopt;
  r.mac.assign(reinterpret_cast<const char*>(w.data() + p), mac_len);
  p += mac_len;
  r.original_id = U16(w, p);
  r.error = U16(w, p + 2);
  const size_t other_len = U16(w, p + 4);
  p += 6;
  if (p + other_len != end) return std::nullopt;
  r.other.assign(reinterpret_cast<const char*>(w.data() + p), other_len);
  return r;
}

TsigVerdict VerifyRequest(std::span<const uint8_t> wire, size_t tsig_offset,
                          const std::function<std::optional<TsigKey>(const std::string&)>& find_key, uint64_t now_s) {
  TsigVerdict v;
  auto rec = ParseTsig(wire, tsig_offset);
  if (!rec) {
    v.error = kBadSig;
    return v;
  }
  v.record = *rec;
  v.key = find_key(rec->key_name);
  if (!v.key || rec->algorithm != kAlgorithm) {
    v.key.reset();
    v.error = kBadKey;
    return v;
  }
  // The message as it was before signing: without the TSIG RR, ARCOUNT one less, original id.
  std::string data(reinterpret_cast<const char*>(wire.data()), tsig_offset);
  data[0] = static_cast<char>(rec->original_id >> 8);
  data[1] = static_cast<char>(rec->original_id & 0xFF);
  const uint16_t arcount = static_cast<uint16_t>(U16(wire, 10) - 1);
  data[10] = static_cast<char>(arcount >> 8);
  data[11] = static_cast<char>(arcount & 0xFF);
  data += Variables(rec->key_name, rec->time_signed, rec->error, rec->other, true);
  const std::string mac = crypto::Hmac(crypto::HashAlg::kSha256, v.key->secret, data);
  if (rec->mac.size() != mac.size() || !crypto::ConstantTimeEqual(rec->mac, mac)) {
    v.error = kBadSig;
    return v;
  }
  const uint64_t skew = now_s > rec->time_signed ? now_s - rec->time_signed : rec->time_signed - now_s;
  if (skew > rec->fudge) v.error = kBadTime;
  return v;
}

std::string SignMessage(std::vector<uint8_t>& msg, const std::string& key_name, const std::optional<TsigKey>& key,
                        std::string_view prior_mac, bool first, uint64_t time_signed, uint16_t original_id,
                        uint16_t error, std::string_view other) {
  std::string mac;
  if (key) {
    std::string data = WithLength(prior_mac);
    data.append(reinterpret_cast<const char*>(msg.data()), msg.size());
    data += Variables(key_name, time_signed, error, other, first);
    mac = crypto::Hmac(crypto::HashAlg::kSha256, key->secret, data);
  }
  Writer w(128);
  w.PutName(key_name);
  std::vector<uint8_t> rr = std::move(w.bytes());
  auto put16 = [&rr](uint16_t x) {
    rr.push_back(static_cast<uint8_t>(x >> 8));
    rr.push_back(static_cast<uint8_t>(x & 0xFF));
  };
  put16(kTypeTsig);
  put16(kClassAny);
  put16(0), put16(0);  // TTL
  Writer alg(32);
  alg.PutName(kAlgorithm);
  std::string rdata(alg.bytes().begin(), alg.bytes().end());
  Put48(rdata, time_signed);
  Put16(rdata, kFudge);
  Put16(rdata, static_cast<uint16_t>(mac.size()));
  rdata += mac;
  Put16(rdata, original_id);
  Put16(rdata, error);
  Put16(rdata, static_cast<uint16_t>(other.size()));
  rdata += other;
  put16(static_cast<uint16_t>(rdata.size()));
  rr.insert(rr.end(), rdata.begin(), rdata.end());
  msg.insert(msg.end(), rr.begin(), rr.end());
  const uint16_t arcount = static_cast<uint16_t>(U16(msg, 10) + 1);
  msg[10] = static_cast<uint8_t>(arcount >> 8);
  msg[11] = static_cast<uint8_t>(arcount & 0xFF);
  return mac;
}

std::string BadTimeOther(uint64_t now_s) {
  std::string s;
  Put48(s, now_s);
  return s;
}

}  // namespace rampart::dns
