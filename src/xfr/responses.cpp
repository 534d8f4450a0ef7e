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
  std::vector<Message> Finish() {
    Close();
    return std::move(out_);
  }
  // Messages completed so far (a record that did not fit closed them), and handing them over.
  size_t ReadyBytes() const { return ready_bytes_; }
  void TakeReady(std::vector<Message>& out) {
    for (auto& m : out_) out.push_back(std::move(m));
    out_.clear();
    ready_bytes_ = 0;
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
    ready_bytes_ += w_.size();
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
  std::vector<Message> out_;
  size_t ready_bytes_ = 0;
};

class Axfr final : public MessageStream {
 public:
  Axfr(uint16_t id, uint16_t qtype, rpz::ZonePtr z, size_t max_message)
      : z_(std::move(z)), m_(id, qtype, *z_, max_message), cursor_(z_->records.Begin()) {}

  bool Next(std::vector<Message>& out, size_t min_bytes) override {
    if (done_) return false;
    if (!started_) {
      m_.Soa(z_->soa.serial);
      m_.Ns();
      started_ = true;
    }
    const rpz::Records::value_type* r = nullptr;
    do {  // at least one record per call, so every call makes progress
      if ((r = cursor_.Next())) m_.Cname(r->first, r->second);
    } while (r && m_.ReadyBytes() < min_bytes);
    if (!r) {  // the records ended
      m_.Soa(z_->soa.serial);
      for (auto& msg : m_.Finish()) out.push_back(std::move(msg));
      done_ = true;
      return true;
    }
    m_.TakeReady(out);
    return true;
  }

 private:
  rpz::ZonePtr z_;  // keeps the snapshot the cursor walks alive
  Messages m_;
  rpz::ZoneRecords::Cursor cursor_;
  bool started_ = false, done_ = false;
};

// TSIG over a stream (RFC 8945 §5.3.1): each message signed over the MAC of the one before.
class Signed final : public MessageStream {
 public:
  // `request_mac`: the first message is signed over the request's MAC.
  Signed(std::unique_ptr<MessageStream> inner, dns::TsigKey key, std::string request_mac, uint64_t now_s, uint16_t id)
      : inner_(std::move(inner)), key_(std::move(key)), mac_(std::move(request_mac)), now_s_(now_s), id_(id) {}

  bool HasInner() const { return inner_ != nullptr; }
  bool Next(std::vector<Message>& out, size_t min_bytes) override {
    const size_t from = out.size();
    if (!inner_->Next(out, min_bytes)) return false;
    Sign(std::span<Message>(out).subspan(from));
    return true;
  }
  void Sign(std::span<Message> msgs) {
    for (Message& m : msgs) {
      mac_ = dns::SignMessage(m, key_.name, key_, mac_, first_, now_s_, id_, 0);
      first_ = false;
    }
  }

 private:
  std::unique_ptr<MessageStream> inner_;
  dns::TsigKey key_;
  std::string mac_;
  bool first_ = true;
  uint64_t now_s_;
  uint16_t id_;
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

std::unique_ptr<MessageStream> AxfrStream(uint16_t id, uint16_t qtype, rpz::ZonePtr zone, size_t max_message) {
  return std::make_unique<Axfr>(id, qtype, std::move(zone), max_message);
}

void Drain(Outcome& o) {
  if (!o.more) return;
  while (o.more->Next(o.messages, 1 << 20)) {
  }
  o.more.reset();
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
Outcome Serve(const dns::Query& q, const rpz::ZonePtr& zone, bool tcp);

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
  const char* refused = !z                           ? "no such zone is served here"
                        : q->qclass != dns::kClassIn ? "only class IN is served"
                        : (q->qtype != dns::kTypeSoa && q->qtype != dns::kTypeAxfr && q->qtype != dns::kTypeIxfr)
                            ? "only SOA, AXFR and IXFR are answered"
                        : (q->qtype == dns::kTypeAxfr && !tcp) ? "AXFR over UDP (use TCP)"
                                                                : nullptr;
  if (refused) {
    o.kind = "REFUSED";
    o.reason = refused;
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
      if (v.error == dns::kBadTime) {  // signed over the (valid) request MAC, §5.2.3 and §5.3.2
        dns::SignMessage(msg, v.record.key_name, v.key, v.record.mac, true, v.record.time_signed, q->header.id,
                         v.error, dns::BadTimeOther(now_s));
      } else {
        dns::SignMessage(msg, v.record.key_name, std::nullopt, "", true, now_s, q->header.id, v.error);
      }
      o.messages.push_back(std::move(msg));
      return o;
    }
    key = v.key;
    mac = v.record.mac;
  }
  if (!z->Allows(client, key ? key->name : "")) {
    o.kind = "REFUSED";
    o.reason = key ? "the TSIG key is not a device of the zone's policy"
                   : "the client address is not a device of the zone's policy (add a device with this address or a TSIG key)";
    o.messages.push_back(Reply(*q, wire, dns::kRefused, false));
  } else {
    o = Serve(*q, z, tcp);
  }
  if (key) {  // every message of the answer is signed, each over the MAC of the one before
    auto sign = std::make_unique<Signed>(std::move(o.more), *key, mac, now_s, q->header.id);
    sign->Sign(o.messages);
    if (sign->HasInner()) o.more = std::move(sign);
    o.kind += "+TSIG";
  }
  return o;
}

namespace {

Outcome Serve(const dns::Query& q, const rpz::ZonePtr& zone, bool tcp) {
  const rpz::ServedZone& z = *zone;
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
    o.more = AxfrStream(id, q.qtype, zone);
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
    o.more = AxfrStream(id, q.qtype, zone);
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
