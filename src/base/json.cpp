#include "base/json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/value_stack.hpp>

#include <boost/container/small_vector.hpp>

namespace rampart {
namespace json = boost::json;
using boost::system::error_code;

namespace {

// Forwards Boost.JSON's events to a value_stack, counting each open container's members.
class BoundedHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  BoundedHandler(json::storage_ptr sp, size_t max_items)
      : stack_({}, scratch_, sizeof scratch_), max_items_(max_items) {
    stack_.reset(std::move(sp));
  }

  json::value Release() { return stack_.release(); }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code& ec) { return Open(ec, true); }
  bool on_object_end(std::size_t n, error_code&) { return Close([&] { stack_.push_object(n); }); }
  bool on_array_begin(error_code& ec) { return Open(ec, false); }
  bool on_array_end(std::size_t n, error_code&) { return Close([&] { stack_.push_array(n); }); }
  bool on_key_part(std::string_view s, std::size_t, error_code&) { return stack_.push_chars(s), true; }
  bool on_key(std::string_view s, std::size_t, error_code& ec) { return Member(ec) && (stack_.push_key(s), true); }
  bool on_string_part(std::string_view s, std::size_t, error_code&) { return stack_.push_chars(s), true; }
  bool on_string(std::string_view s, std::size_t, error_code& ec) { return Item(ec) && (stack_.push_string(s), true); }
  bool on_number_part(std::string_view, error_code&) { return true; }
  bool on_int64(int64_t v, std::string_view, error_code& ec) { return Item(ec) && (stack_.push_int64(v), true); }
  bool on_uint64(uint64_t v, std::string_view, error_code& ec) { return Item(ec) && (stack_.push_uint64(v), true); }
  bool on_double(double v, std::string_view, error_code& ec) { return Item(ec) && (stack_.push_double(v), true); }
  bool on_bool(bool v, error_code& ec) { return Item(ec) && (stack_.push_bool(v), true); }
  bool on_null(error_code& ec) { return Item(ec) && (stack_.push_null(), true); }
  bool on_comment_part(std::string_view, error_code&) { return true; }
  bool on_comment(std::string_view, error_code&) { return true; }

 private:
  struct Level {
    bool object = false;
    size_t members = 0;
  };
  // A value begins: an array member counts here; an object member was counted at its key.
  bool Item(error_code& ec) {
    if (levels_.empty() || levels_.back().object) return true;
    return Count(ec);
  }
  bool Member(error_code& ec) { return Count(ec); }
  bool Count(error_code& ec) {
    if (++levels_.back().members <= max_items_) return true;
    ec = std::make_error_code(std::errc::value_too_large);
    return false;
  }
  bool Open(error_code& ec, bool object) {
    if (!Item(ec)) return false;
    levels_.push_back({object, 0});
    return true;
  }
  template <class Push>
  bool Close(Push push) {
    levels_.pop_back();
    push();
    return true;
  }

  // The value stack's scratch space and the open levels start inline: a small document (most
  // request bodies) is parsed without a heap allocation of the parser's own.
  alignas(16) unsigned char scratch_[1024];
  json::value_stack stack_;
  boost::container::small_vector<Level, 8> levels_;
  size_t max_items_;
};

}  // namespace

json::value ParseBoundedJson(std::string_view text, const JsonLimits& limits, error_code& ec, json::storage_ptr sp) {
  json::parse_options opts;
  opts.max_depth = limits.max_depth;
  json::basic_parser<BoundedHandler> p(opts, std::move(sp), limits.max_items);
  const size_t used = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = json::error::extra_data;
  if (ec) return nullptr;
  return p.handler().Release();
}

bool JsonEqual(const boost::json::object& a, const boost::json::object& b) {
  if (a.size() != b.size()) return false;
  for (const auto& member : a) {  // by reference: no copy
    const boost::json::value* other = b.if_contains(member.key());
    if (!other || !JsonEqual(member.value(), *other)) return false;
  }
  return true;
}

bool JsonEqual(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_object() || b.is_object()) return a.is_object() && b.is_object() && JsonEqual(a.get_object(), b.get_object());
  if (a.is_array() || b.is_array()) {
    if (!a.is_array() || !b.is_array() || a.get_array().size() != b.get_array().size()) return false;
    for (size_t i = 0; i < a.get_array().size(); ++i) {
      if (!JsonEqual(a.get_array()[i], b.get_array()[i])) return false;
    }
    return true;
  }
  return a == b;  // scalars: compared in place
}

}  // namespace rampart
