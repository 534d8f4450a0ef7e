#pragma once
// What the RPZ primary answers, as pure functions from a received message to the messages to
// send back (so the DNS server only moves bytes). RFC 5936 (AXFR), 1995 (IXFR), 1996 (NOTIFY).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dns/message.hpp"
#include "net/ip_address.hpp"
#include "rpz/zones.hpp"

namespace rampart::xfr {

struct Outcome {
  std::vector<std::vector<uint8_t>> messages;  // empty: send nothing (unparseable input)
  std::string kind;    // "SOA" | "AXFR" | "IXFR" | "IXFR-AXFR" (history missing) | "IXFR-UPTODATE" | "REFUSED" |
                       // "TSIG-BADKEY" | …; "+TSIG" appended when the answer is signed
  std::string zone;
  uint32_t from_serial = 0, serial = 0;
};

// Answers one query. `tcp`: transfers are only served over TCP (IXFR over UDP gets the SOA,
// which sends the client to TCP; AXFR over UDP is refused).
// `now_s` (Unix seconds) checks and stamps TSIG times.
Outcome Answer(std::span<const uint8_t> wire, const net::IpAddress& client, bool tcp,
               const rpz::ZoneRegistry& zones, uint64_t now_s);

// A NOTIFY for the zone with its current SOA in the answer section (Unbound reads the serial).
std::vector<uint8_t> NotifyMessage(uint16_t id, const rpz::ServedZone& zone);

// Messages of a full transfer: SOA, NS, the records, SOA, packed up to `max_message` bytes each.
std::vector<std::vector<uint8_t>> AxfrMessages(uint16_t id, uint16_t qtype, const rpz::ServedZone& zone,
                                               size_t max_message = 32768);

}  // namespace rampart::xfr
