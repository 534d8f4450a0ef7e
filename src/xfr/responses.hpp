#pragma once
// What the RPZ primary answers, as pure functions from a received message to the messages to
// send back (so the DNS server only moves bytes). RFC 5936 (AXFR), 1995 (IXFR), 1996 (NOTIFY).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dns/message.hpp"
#include "net/ip_address.hpp"
#include "rpz/zones.hpp"

namespace rampart::xfr {

using Message = std::vector<uint8_t>;

// The rest of an answer, made a batch at a time: a full transfer of a large zone is never held
// whole (at 1,000,000 entries it is ~41 MB), only the batch being written.
class MessageStream {
 public:
  virtual ~MessageStream() = default;
  // Appends the next messages, at least `min_bytes` of them unless the answer ends first.
  // Returns false, appending nothing, once the answer is complete.
  virtual bool Next(std::vector<Message>& out, size_t min_bytes) = 0;
};

struct Outcome {
  std::vector<Message> messages;  // sent first; empty and no `more`: send nothing (unparseable input)
  std::unique_ptr<MessageStream> more;  // then these, pulled until done (transfers only)
  std::string kind;    // "SOA" | "AXFR" | "IXFR" | "IXFR-AXFR" (history missing) | "IXFR-UPTODATE" | "REFUSED" |
                       // "TSIG-BADKEY" | …; "+TSIG" appended when the answer is signed
  std::string zone;
  uint32_t from_serial = 0, serial = 0;
  // Why a query was REFUSED, for the log (an operator's first question when a resolver gets
  // REFUSED: most often its address is not a device of the zone's policy). Empty otherwise.
  std::string reason;
};

// Answers one query. `tcp`: transfers are only served over TCP (IXFR over UDP gets the SOA,
// which sends the client to TCP; AXFR over UDP is refused).
// `now_s` (Unix seconds) checks and stamps TSIG times.
Outcome Answer(std::span<const uint8_t> wire, const net::IpAddress& client, bool tcp,
               const rpz::ZoneRegistry& zones, uint64_t now_s);

// Pulls the whole of `o.more` into `o.messages` (tests and fuzzing; small zones).
void Drain(Outcome& o);

// A NOTIFY for the zone with its current SOA in the answer section (Unbound reads the serial).
std::vector<uint8_t> NotifyMessage(uint16_t id, const rpz::ServedZone& zone);

// A full transfer: SOA, NS, the records, SOA, packed up to `max_message` bytes a message. The
// stream holds `zone` (an immutable snapshot), so a publish meanwhile does not disturb it.
std::unique_ptr<MessageStream> AxfrStream(uint16_t id, uint16_t qtype, rpz::ZonePtr zone, size_t max_message = 32768);

}  // namespace rampart::xfr
