#include "agent/batcher.hpp"

#include <zlib.h>

#include <cstdint>

#include <boost/json/serialize.hpp>

namespace rampart::agent {

void EventQueue::Push(const boost::json::object& event) {
  std::string line = boost::json::serialize(event);
  std::lock_guard lock(mu_);
  if (lines_.size() >= cap_ || bytes_ + line.size() > cap_bytes_) {
    ++dropped_;
    return;
  }
  bytes_ += line.size();
  lines_.push_back(std::move(line));
}

size_t EventQueue::size() const {
  std::lock_guard lock(mu_);
  return lines_.size();
}

uint64_t EventQueue::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

std::string EventQueue::PeekBatch(size_t max, size_t max_bytes, size_t* count) {
  std::string text;
  size_t n = 0;
  {
    std::lock_guard lock(mu_);
    for (const std::string& line : lines_) {
      if (n == max || (n > 0 && text.size() + line.size() + 1 > max_bytes)) break;
      text += line;
      text += '\n';
      ++n;
    }
  }
  *count = n;
  return n == 0 ? std::string() : Gzip(text);
}

void EventQueue::Pop(size_t n) {
  std::lock_guard lock(mu_);
  for (; n > 0 && !lines_.empty(); --n) {
    bytes_ -= lines_.front().size();
    lines_.pop_front();
  }
}

std::string EventQueue::CutBatch(size_t max, size_t* count) {
  size_t n = 0;
  std::string batch = PeekBatch(max, SIZE_MAX, &n);
  Pop(n);
  if (count) *count = n;
  return batch;
}

std::string Gzip(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

std::string Gunzip(const std::string& data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return "";
  std::string out;
  char buf[65536];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

}  // namespace rampart::agent
