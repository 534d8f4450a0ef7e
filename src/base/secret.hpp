#pragma once
// Key material (an API key as issued, a Hawk key, a password) in a type that cannot reach a log or
// a stream by accident: no conversion to string, no operator<<, no fmt formatter (formatting one
// fails to compile). The holder asks for the bytes by name, Reveal(), where they must go out (the
// one time a key is shown, a MAC computation, a hash). Moving leaves the source empty.
#include <string>
#include <string_view>
#include <utility>

namespace rampart {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&& o) noexcept : value_(std::exchange(o.value_, {})) {}
  Secret& operator=(Secret&& o) noexcept {
    value_ = std::exchange(o.value_, {});
    return *this;
  }
  ~Secret() {
    // Best effort: overwrite before the allocation is freed (volatile so it is not elided).
    volatile char* p = value_.data();
    for (size_t i = 0; i < value_.size(); ++i) p[i] = 0;
  }

  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }

  // Printing one is a compile error; these exist only to say so.
  template <class Stream>
  friend Stream& operator<<(Stream&, const Secret&) = delete;

 private:
  std::string value_;
};

}  // namespace rampart
