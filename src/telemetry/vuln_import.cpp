#include "telemetry/vuln_import.hpp"

#include <zlib.h>

#include <memory>
#include <unordered_set>
#include <vector>

#include "crypto/crypto.hpp"
#include "vuln/osv_feed.hpp"
#include "vuln/tracker_feed.hpp"

namespace rampart::telemetry {

namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kBatch = 5000;

// Inflates a gzip stream chunk by chunk (concatenated members too, as gzip(1) writes them).
class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&z_, 15 + 16) == Z_OK; }
  ~Inflater() { inflateEnd(&z_); }
  Result<void> Feed(std::string_view in, const std::function<Result<void>(std::string_view)>& out) {
    if (!ok_) return Error::Internal("zlib did not start");
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    std::vector<char> buf(kChunk);
    while (z_.avail_in > 0) {
      z_.next_out = reinterpret_cast<Bytef*>(buf.data());
      z_.avail_out = static_cast<uInt>(buf.size());
      const int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return Error::Invalid("the file is not valid gzip");
      RAMPART_CHECK(out(std::string_view(buf.data(), buf.size() - z_.avail_out)));
      if (rc == Z_STREAM_END) {
        ended_ = true;
        if (z_.avail_in > 0 && inflateReset(&z_) != Z_OK) return Error::Invalid("the file is not valid gzip");
        if (z_.avail_in > 0) ended_ = false;
      } else if (rc == Z_BUF_ERROR && z_.avail_in == 0) {
        break;
      }
    }
    return {};
  }
  bool ended() const { return ended_; }

 private:
  z_stream z_{};
  bool ok_ = false, ended_ = false;
};

std::string Hex(crypto::Hasher& sha) {
  const std::string digest = sha.Final();
  return crypto::HexEncode(std::span(reinterpret_cast<const uint8_t*>(digest.data()), digest.size()));
}

// Makes the staged feed current and reads back its record.
Result<FeedImported> Activate(store::VulnStore& store, int64_t feed_id, size_t distinct, const std::string& sha256,
                              int64_t bytes, const vuln::FeedStats& stats) {
  RAMPART_CHECK(store.ActivateFeed(feed_id, static_cast<int64_t>(distinct), sha256, bytes));
  RAMPART_TRY(current, store.CurrentFeed());
  if (!current || current->id != feed_id) return Error::Conflict("another import became current at the same time");
  FeedImported out{*current, stats};
  return out;
}

store::FeedRecord Staged(const FeedSource& source) {
  return {0, source.format, source.name, "", 0, source.feed_date, source.now_ms, source.imported_by, 0, false};
}

// Entries go to the staged feed in batches.
class Batcher {
 public:
  Batcher(store::VulnStore& store, int64_t feed_id) : store_(store), feed_id_(feed_id) {}
  Result<void> Add(vuln::FeedEntry&& e) {
    batch_.push_back(std::move(e));
    return batch_.size() >= kBatch ? Flush() : Result<void>{};
  }
  Result<void> Flush() {
    if (batch_.empty()) return {};
    RAMPART_CHECK(store_.AddFeedEntries(feed_id_, batch_));
    batch_.clear();
    return {};
  }

 private:
  store::VulnStore& store_;
  int64_t feed_id_;
  std::vector<vuln::FeedEntry> batch_;
};

}  // namespace

Result<FeedImported> ImportOsv(store::VulnStore& store, const NextDocument& next, const FeedSource& source, bool named) {
  RAMPART_TRY(feed_id, store.StageFeed(Staged(source)));
  Batcher batcher(store, feed_id);
  vuln::OsvReader reader([&](vuln::FeedEntry&& e) { return batcher.Add(std::move(e)); });
  crypto::Hasher sha(crypto::HashAlg::kSha256);
  int64_t bytes = 0;
  std::string name, document;
  for (;;) {
    RAMPART_TRY(more, next(name, document));
    if (!more) break;
    bytes += static_cast<int64_t>(document.size());
    if (named) sha.Update(std::string_view(name.c_str(), name.size() + 1));
    sha.Update(document);
    if (named) sha.Update(std::string_view("\0", 1));
    RAMPART_CHECK(reader.Read(document, name));
  }
  RAMPART_CHECK(batcher.Flush());
  const vuln::FeedStats stats = reader.stats();
  return Activate(store, feed_id, stats.entries, Hex(sha), bytes, stats);
}

Result<FeedImported> ImportFeed(store::VulnStore& store, std::istream& in, const FeedSource& source) {
  if (source.format != "debian-tracker") return Error::Invalid("unknown feed format '" + source.format + "'");
  RAMPART_TRY(feed_id, store.StageFeed(Staged(source)));
  Batcher batcher(store, feed_id);
  // Distinct (release, source, CVE) keys, as hashes: a key repeated in the JSON is one row, and
  // the store checks at activation that it holds exactly this many (nothing lost to an
  // overlapping import).
  std::unordered_set<uint64_t> keys;
  vuln::TrackerParser parser([&](vuln::FeedEntry&& e) -> Result<void> {
    keys.insert(std::hash<std::string>{}(e.release + '\0' + e.source + '\0' + e.cve));
    return batcher.Add(std::move(e));
  });
  crypto::Hasher sha(crypto::HashAlg::kSha256);
  std::unique_ptr<Inflater> inflater;
  std::vector<char> buf(kChunk);
  bool first = true;
  int64_t bytes = 0;
  auto to_parser = [&](std::string_view text) { return parser.Write(text); };
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::string_view chunk(buf.data(), static_cast<size_t>(in.gcount()));
    if (chunk.empty()) break;
    if (first && chunk.size() >= 2 && static_cast<unsigned char>(chunk[0]) == 0x1f &&
        static_cast<unsigned char>(chunk[1]) == 0x8b) {
      inflater = std::make_unique<Inflater>();
    }
    first = false;
    bytes += static_cast<int64_t>(chunk.size());
    sha.Update(chunk);
    RAMPART_CHECK(inflater ? inflater->Feed(chunk, to_parser) : parser.Write(chunk));
  }
  if (in.bad()) return Error::Unavailable("the feed could not be read");
  if (inflater && !inflater->ended()) return Error::Invalid("the gzip stream ends early (a truncated download?)");
  RAMPART_CHECK(parser.Finish());
  RAMPART_CHECK(batcher.Flush());
  return Activate(store, feed_id, keys.size(), Hex(sha), bytes, parser.stats());
}

}  // namespace rampart::telemetry
