#include "xfr/responses.hpp"

namespace rampart::xfr {
namespace {

using dns::Writer;

dns::SoaData SoaOf(const rpz::ServedZone& z, uint32_t serial) {
  const rpz::SoaFields& s = z.soa;
  return {s.server_name, "hostmaster." + s.server_name, serial, s.refresh, s.retry, s.expire, s.minimum};
}

// Builds a sequence of answer messages, each starting with the header and the question.
class Messages {
 public:
  Messages(uint16_t id, uint16_t qtype, const rpz::ServedZone& z, size_t max) : id_(id), qtype_(qtype), z_(z), max_(max) {
    Start();
  }
  void Soa(uint32_t serial) {
    Rr([&](Writer& w) {
      w.PutNameUnderOrigin("");
      size_t at = w.BeginRr(dns::kTypeSoa, dns::kClassIn, z_.soa.ttl);
      w.PutSoaRdata(SoaOf(z_, serial));
      w.EndRdata(at);
      return true;
    });
  }
  void Ns() {
    Rr([&](Writer& w) {
      w.PutNameUnderOrigin("");
      size_t at = w.BeginRr(dns::kTypeNs, dns::kClassIn, z_.soa.ttl);
      w.PutName(z_.soa.server_name);
      w.EndRdata(at);
      return true;
    });
  }
  void Cname(const std::string& owner, const std::string& target) {
    Rr([&](Writer& w) {
      if (!w.PutNameCompressed(owner)) return false;
      size_t at = w.BeginRr(dns::kTypeCname, dns::kClassIn, z_.soa.ttl);
      std::string_view t = target;
      if (!t.empty() && t.back() == '.') t.remove_suffix(1);
      if (!w.PutName(t)) return false;
      w.EndRdata(at);
      return true;
    });
  }
  std::vector<std::vector<uint8_t>> Finish() {
    Close();
    return std::move(out_);
  }

 private:
  void Start() {
    w_ = Writer(std::min<size_t>(max_, 4096));
    w_.PutHeader({id_, true, true, false, false, dns::kOpQuery, dns::kNoError, 1, 0, 0, 0});
    w_.PutName(z_.origin);
    w_.PutU16(qtype_);
    w_.PutU16(dns::kClassIn);
    count_ = 0;
  }
  void Close() {
    w_.SetCounts(1, count_, 0, 0);
    out_.push_back(std::move(w_.bytes()));
  }
  template <class F>
  void Rr(F&& write) {
    const size_t mark = w_.size();
    if (!write(w_)) {  // not representable (name too long): leave it out
      w_.Truncate(mark);
      return;
    }
    if (w_.size() > max_ && count_ > 0) {  // write the record again at the start of a new message
      w_.Truncate(mark);
      Close();
      Start();
      write(w_);  // fitted before, so it fits an empty message; its names point into this one
    }
    ++count_;
  }

  uint16_t id_, qtype_;
  const rpz::ServedZone& z_;
  size_t max_;
  Writer w_;
  uint16_t count_ = 0;
  std::vector<std::vector<uint8_t>> out_;
};

std::vector<uint8_t> Reply(const dns::Query& q, std::span<const uint8_t> wire, uint8_t rcode, bool aa) {
  Writer w;
  dns::Header h = q.header;
  h.qr = true, h.aa = aa, h.tc = false, h.rcode = rcode;
  h.qdcount = 1, h.ancount = h.nscount = h.arcount = 0;
  w.PutHeader(h);
  w.PutBytes(wire.subspan(12, q.question_end - 12));  // the question as received
  return std::move(w.bytes());
}

}  // namespace

std::vector<std::vector<uint8_t>> AxfrMessages(uint16_t id, uint16_t qtype, const rpz::ServedZone& z,
                                               size_t max_message) {
  Messages m(id, qtype, z, max_message);
  m.Soa(z.soa.serial);
  m.Ns();
  z.records.ForEach([&m](const std::string& owner, const std::string& target) { m.Cname(owner, target); });
  m.Soa(z.soa.serial);
  return m.Finish();
}

std::vector<uint8_t> NotifyMessage(uint16_t id, const rpz::ServedZone& z) {
  Messages m(id, dns::kTypeSoa, z, 512);
  m.Soa(z.soa.serial);
  auto msgs = m.Finish();
  std::vector<uint8_t> out = std::move(msgs.front());
  out[2] = static_cast<uint8_t>(dns::kOpNotify << 3 | 0x04);  // QR=0, opcode NOTIFY, AA=1
  return out;
}

namespace {

// The answer to an accepted query for a zone we serve (no TSIG here).
Outcome Serve(const dns::Query& q, const rpz::ServedZone& z, bool tcp);

const char* TsigErrorName(uint16_t e) {
  return e == dns::kBadKey ? "TSIG-BADKEY" : e == dns::kBadTime ? "TSIG-BADTIME" : "TSIG-BADSIG";
}

}  // namespace

Outcome Answer(std::span<const uint8_t> wire, const net::IpAddress& client, bool tcp,
               const rpz::ZoneRegistry& zones, uint64_t now_s) {
  Outcome o;
  auto q = dns::ParseMessage(wire);
  if (!q || q->header.qr) {
    o.kind = "DROPPED";
    // A header we can read gets FORMERR; anything shorter is dropped.
    if (!q && wire.size() >= 12 && !(wire[2] & 0x80)) {
      std::vector<uint8_t> err(wire.begin(), wire.begin() + 12);
      err[2] = static_cast<uint8_t>((err[2] & 0x78) | 0x80);
      err[3] = dns::kFormErr;
      for (int i = 4; i < 12; ++i) err[i] = 0;
      o.messages.push_back(std::move(err));
      o.kind = "FORMERR";
    }
    return o;
  }
  o.zone = q->qname;
  if (q->header.opcode != dns::kOpQuery) {
    o.kind = "NOTIMP";
    o.messages.push_back(Reply(*q, wire, dns::kNotImp, false));
    return o;
  }
  rpz::ZonePtr z = zones.Find(q->qname);
  if (!z || q->qclass != dns::kClassIn ||
      (q->qtype != dns::kTypeSoa && q->qtype != dns::kTypeAxfr && q->qtype != dns::kTypeIxfr) ||
      (q->qtype == dns::kTypeAxfr && !tcp)) {
    o.kind = "REFUSED";
    o.messages.push_back(Reply(*q, wire, dns::kRefused, false));
    return o;
  }
  // TSIG (RFC 8945): a signed request is verified against the keys of the zone's devices; a
  // failure is NOTAUTH with the TSIG error (signed only for BADTIME, as the RFC asks).
  std::optional<dns::TsigKey> key;
  std::string mac;
  if (q->tsig_offset) {
    dns::TsigVerdict v = dns::VerifyRequest(wire, *q->tsig_offset, [&z](const std::string& n) { return z->FindKey(n); },
                                            now_s);
    if (v.error) {
      o.kind = TsigErrorName(v.error);
      auto msg = Reply(*q, wire, dns::kNotAuth, false);
      auto signer = v.error == dns::kBadTime ? v.key : std::nullopt;
      dns::SignMessage(msg, v.record.key_name, signer, signer ? v.record.mac : "", true, now_s, q->header.id, v.error);
      o.messages.push_back(std::move(msg));
      return o;
    }
    key = v.key;
    mac = v.record.mac;
  }
  if (!z->Allows(client, key ? key->name : "")) {
    o.kind = "REFUSED";
    o.messages.push_back(Reply(*q, wire, dns::kRefused, false));
  } else {
    o = Serve(*q, *z, tcp);
  }
  if (key) {  // every message of the answer is signed, each over the MAC of the one before
    for (size_t i = 0; i < o.messages.size(); ++i) {
      mac = dns::SignMessage(o.messages[i], key->name, key, mac, i == 0, now_s, q->header.id, 0);
    }
    o.kind += "+TSIG";
  }
  return o;
}

namespace {

Outcome Serve(const dns::Query& q, const rpz::ServedZone& z, bool tcp) {
  Outcome o;
  o.zone = q.qname;
  o.serial = z.soa.serial;
  const uint16_t id = q.header.id;
  if (q.qtype == dns::kTypeSoa || (q.qtype == dns::kTypeIxfr && !tcp)) {
    Messages m(id, q.qtype, z, 512);
    m.Soa(z.soa.serial);
    o.messages = m.Finish();
    o.kind = "SOA";
    return o;
  }
  if (q.qtype == dns::kTypeAxfr) {
    o.messages = AxfrMessages(id, q.qtype, z);
    o.kind = "AXFR";
    return o;
  }
  o.from_serial = *q.client_serial;
  if (!dns::SerialNewer(z.soa.serial, *q.client_serial)) {
    Messages m(id, q.qtype, z, 512);
    m.Soa(z.soa.serial);
    o.messages = m.Finish();
    o.kind = "IXFR-UPTODATE";
    return o;
  }
  auto deltas = z.DeltasSince(*q.client_serial);
  if (!deltas) {
    o.messages = AxfrMessages(id, q.qtype, z);
    o.kind = "IXFR-AXFR";
    return o;
  }
  Messages m(id, q.qtype, z, 32768);
  m.Soa(z.soa.serial);
  for (const rpz::JournalEntry* d : *deltas) {
    m.Soa(d->from);
    for (const auto& [owner, target] : d->delta.removed) m.Cname(owner, target);
    m.Soa(d->to);
    for (const auto& [owner, target] : d->delta.added) m.Cname(owner, target);
  }
  m.Soa(z.soa.serial);
  o.messages = m.Finish();
  o.kind = "IXFR";
  return o;
}

}  // namespace

}  // namespace rampart::xfr
