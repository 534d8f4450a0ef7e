#pragma once
// A small DNS wire codec for what an RPZ primary needs (RFC 1035, 1995, 1996, 5936): parsing the
// queries and NOTIFY replies it receives, and writing SOA answers, transfers and NOTIFYs. Every
// byte parsed here comes from the network: bounds are checked on every read, compression
// pointers must point backwards (no loops), names are limited to 255 octets.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rampart::dns {

inline constexpr uint16_t kTypeNs = 2, kTypeCname = 5, kTypeSoa = 6, kTypeOpt = 41, kTypeTsig = 250,
                          kTypeIxfr = 251, kTypeAxfr = 252, kClassIn = 1, kClassAny = 255;
inline constexpr uint8_t kOpQuery = 0, kOpNotify = 4;
inline constexpr uint8_t kNoError = 0, kFormErr = 1, kServFail = 2, kNotImp = 4, kRefused = 5, kNotAuth = 9;

struct Header {
  uint16_t id = 0;
  bool qr = false, aa = false, tc = false, rd = false;
  uint8_t opcode = 0, rcode = 0;
  uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
};

struct SoaData {
  std::string mname, rname;  // lower-case, no final dot
  uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};

// A received message reduced to what the primary acts on.
struct Query {
  Header header;
  std::string qname;  // lower-case, no final dot ("" is the root)
  uint16_t qtype = 0, qclass = 0;
  size_t question_end = 0;                // offset just past the question
  std::optional<uint32_t> client_serial;  // IXFR: the SOA serial in the authority section
  std::optional<size_t> tsig_offset;      // start of a TSIG RR, if the last additional RR is one
};

// nullopt for anything malformed. A message without exactly one question is malformed unless it
// is a response (NOTIFY acknowledgements may echo the question or not).
std::optional<Query> ParseMessage(std::span<const uint8_t> wire);

// Reads a possibly compressed name at `pos` (advanced past it). Lower-cases ASCII letters.
std::optional<std::string> ReadName(std::span<const uint8_t> wire, size_t& pos);

// Builds messages. Names are written uncompressed, or as relative labels followed by a pointer
// to the origin name stored at offset 12 (the question), which halves a transfer's size.
class Writer {
 public:
  explicit Writer(size_t reserve = 512) { buf_.reserve(reserve); }
  void PutHeader(const Header& h);
  // Writes `name` (no final dot, "" = root) uncompressed. False if it is not a valid name.
  bool PutName(std::string_view name);
  // `relative` (may be empty = the origin itself) + a pointer to offset 12.
  bool PutNameUnderOrigin(std::string_view relative);
  // The same, but any suffix of `relative` already written by this method in this message is
  // replaced by a pointer to it (RFC 1035 §4.1.4), e.g. "bench.example" once per message.
  bool PutNameCompressed(std::string_view relative);
  void PutU16(uint16_t v);
  void PutU32(uint32_t v);
  void PutBytes(std::span<const uint8_t> b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  // An RR whose RDATA follows: writes type, class, TTL and a length placeholder; EndRdata fills it.
  size_t BeginRr(uint16_t type, uint16_t klass, uint32_t ttl);
  void EndRdata(size_t length_at);
  void PutSoaRdata(const SoaData& soa);
  void SetCounts(uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar);
  size_t size() const { return buf_.size(); }
  std::vector<uint8_t>& bytes() { return buf_; }
  // Drops everything from offset `n` on, and the compression targets that pointed there.
  void Truncate(size_t n) {
    buf_.resize(n);
    std::erase_if(suffixes_, [n](const auto& kv) { return kv.second >= n; });
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<uint8_t> buf_;
  std::unordered_map<std::string, uint16_t, Hash, std::equal_to<>> suffixes_;  // relative suffix → offset
};

// RFC 1982 serial comparison: true when `a` is newer than `b`.
bool SerialNewer(uint32_t a, uint32_t b);

}  // namespace rampart::dns
