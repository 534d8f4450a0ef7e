#pragma once
// TSIG (RFC 8945) with HMAC-SHA256, for zone transfers: verifying a signed request, and signing
// every message of the answer (the first over the request's MAC and the full variables, each
// later one over the previous MAC and the timers only, §5.3.1). MACs compared in constant time.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dns/message.hpp"

namespace rampart::dns {

inline constexpr uint16_t kBadSig = 16, kBadKey = 17, kBadTime = 18;
inline constexpr uint16_t kFudge = 300;

struct TsigKey {
  std::string name;    // lower-case, no final dot
  std::string secret;  // raw bytes
};

struct TsigRecord {
  std::string key_name, algorithm;
  uint64_t time_signed = 0;
  uint16_t fudge = 0;
  std::string mac;
  uint16_t original_id = 0, error = 0;
  std::string other;
};

// The TSIG RR starting at `offset` (see Query::tsig_offset), or nullopt when malformed.
std::optional<TsigRecord> ParseTsig(std::span<const uint8_t> wire, size_t offset);

struct TsigVerdict {
  uint16_t error = 0;  // 0, kBadSig, kBadKey or kBadTime
  TsigRecord record;
  std::optional<TsigKey> key;  // set when the key is known
};

// Verifies the request's TSIG. `find_key` looks a key up by name.
TsigVerdict VerifyRequest(std::span<const uint8_t> wire, size_t tsig_offset,
                          const std::function<std::optional<TsigKey>(const std::string&)>& find_key, uint64_t now_s);

// Appends a TSIG RR to `msg` (and counts it in ARCOUNT). `prior_mac` is the request's MAC for
// the first message of an answer and the previous message's MAC after that; `first` selects the
// full variables (else timers only, §4.3.1). An error answer (BADKEY/BADSIG) is sent with an empty
// MAC: pass key = nullopt. `time_signed` is the signer's clock, except in a BADTIME answer (§5.2.3):
// there it is the request's Time Signed and `other` carries the server's time (BadTimeOther).
// Returns the MAC it wrote.
std::string SignMessage(std::vector<uint8_t>& msg, const std::string& key_name, const std::optional<TsigKey>& key,
                        std::string_view prior_mac, bool first, uint64_t time_signed, uint16_t original_id,
                        uint16_t error, std::string_view other = {});

// The Other Data of a BADTIME answer: the server's time as 48 bits, big-endian.
std::string BadTimeOther(uint64_t now_s);

}  // namespace rampart::dns
