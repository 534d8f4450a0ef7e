#pragma once
// A Beast body for responses: either text the response owns, or an immutable buffer shared with
// a cache (a memoized page). The shared form is written to the socket straight from the cache,
// without copying tens of kilobytes per request.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace rampart::http {

struct TextBody {
  class value_type {
   public:
    value_type& operator=(std::string text) {
      owned_ = std::move(text);
      shared_.reset();
      return *this;
    }
    // Sends `text` as is; it must not change while it is shared (it is const).
    void Share(std::shared_ptr<const std::string> text) {
      shared_ = std::move(text);
      owned_.clear();
    }
    std::string_view view() const { return shared_ ? std::string_view(*shared_) : std::string_view(owned_); }
    size_t size() const { return view().size(); }
    bool empty() const { return view().empty(); }
    // Appends to owned text (used when a response is parsed, e.g. by tests).
    void append(const char* data, size_t n) {
      if (shared_) {
        owned_.assign(*shared_);
        shared_.reset();
      }
      owned_.append(data, n);
    }

   private:
    std::string owned_;
    std::shared_ptr<const std::string> shared_;
  };

  static std::uint64_t size(const value_type& v) { return v.size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;
    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}
    void init(boost::beast::error_code& ec) { ec = {}; }
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      std::string_view v = body_.view();
      return std::pair{const_buffers_type(v.data(), v.size()), false};
    }

   private:
    const value_type& body_;
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      ec = {};
      std::size_t n = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
           ++it) {
        boost::asio::const_buffer b = *it;
        body_.append(static_cast<const char*>(b.data()), b.size());
        n += b.size();
      }
      return n;
    }
    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace rampart::http
