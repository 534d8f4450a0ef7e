#pragma once
// Threat Stack's rule filter language (agents-anchors.md §2.3, reconstructed from real rules and
// suppressions), parsed once per rule version into an AST with positions, compiled into checks,
// and evaluated against events (JSON objects keyed like the filter keys).
//
//   filter     = or_expr ;
//   or_expr    = and_expr , { "or" , and_expr } ;
//   and_expr   = unary , { "and" , unary } ;
//   unary      = [ "not" ] , primary ;                        (* "not": Falco's superset *)
//   primary    = "(" , or_expr , ")" | comparison ;
//   comparison = key , operator , value ;
//   key        = name , { "." , name } ;                      (* connection.dst_addr *)
//   name       = ( letter | "_" ) , { letter | digit | "_" | "-" } ;
//   operator   = "=" | "==" | "!=" | "starts_with" | "ends_with" | "like"
//              | "startswith" | "endswith" | "contains" ;     (* the last three: Falco's names *)
//   value      = "'" , { any but "'" } , "'" | '"' , { any but '"' } , '"'
//              | bare ;   (* a run of characters up to a space, quote, parenthesis, "=" or "!" *)
//
// Keywords and operator words are case-insensitive (`or`, `OR`); values and keys are not. Spaces
// around "=" are optional. A backslash in a quoted value escapes the next character.
//
// Meaning:
//   =, !=          equality; on an address key with an address or CIDR value, membership of the
//                  network (!= : not in it); on an array field, membership (!= : in no element)
//   starts_with, ends_with, like (substring), and Falco's names for them
//   A key the language does not know compiles to "never matches" (every comparison on it is
//   false, != included) and is listed in unknown_keys(); a known key the event lacks makes the
//   comparison false, != included (a suppression never matches an event that lacks its field).
// `not` negates what is under it: `not user = 'x'` holds for an event without `user` too.
// Numbers and booleans in events compare as their text ("pid = 42" and "pid = '42'" alike; a
// whole double such as 42.0 is "42"). On an address key an IPv4-mapped address (::ffff:a.b.c.d)
// is its IPv4 text for every operator.
#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "net/ip_address.hpp"

namespace rampart::rules {

enum class Op { kEq, kNe, kStartsWith, kEndsWith, kContains };

// The AST. `column` is 1-based in the filter text.
struct Node {
  enum class Kind { kAnd, kOr, kNot, kCompare };
  Kind kind = Kind::kCompare;
  size_t column = 0;
  std::vector<std::unique_ptr<Node>> children;  // kAnd, kOr: two or more; kNot: one
  std::string key = {};                         // kCompare
  Op op = Op::kEq;
  std::string value = {};
  size_t value_column = 0;
};

// Limits on what a filter may be (a rule is saved by a user and evaluated for every event).
inline constexpr size_t kMaxFilterBytes = 8192;
inline constexpr size_t kMaxDepth = 32;
inline constexpr size_t kMaxComparisons = 512;

// Invalid with a detail naming the column: "column 14: expected a value after '='".
Result<std::unique_ptr<Node>> ParseFilter(std::string_view text);

// Whether the language knows `key` (the event keys of agents-anchors.md §2.2, with the aliases
// `ip` = either address, `port` = either port, connection.addr/port = connection.dst_addr/port).
bool IsKnownKey(std::string_view key);
// Whether `key` holds an address (a CIDR value then means membership).
bool IsAddressKey(std::string_view key);
// The event's field `key`: a flat key ("connection.addr" as one name) first, else the nested one
// (connection -> addr); nullptr when it has neither.
const boost::json::value* FindField(const boost::json::object& event, std::string_view key);
// A number as events compare it: a whole double as an integer ("42"), else its shortest form.
std::string NumberText(double d);

class CompiledFilter {
 public:
  // Parses and compiles; Invalid (naming the column) when the text does not parse.
  static Result<CompiledFilter> Compile(std::string_view text);

  bool Matches(const boost::json::object& event) const;
  const std::vector<std::string>& unknown_keys() const { return unknown_keys_; }

  struct Check;  // one compiled node
  CompiledFilter(CompiledFilter&&) noexcept;
  CompiledFilter& operator=(CompiledFilter&&) noexcept;
  ~CompiledFilter();

 private:
  CompiledFilter();
  std::unique_ptr<Check> root_;
  std::vector<std::string> unknown_keys_;
};

}  // namespace rampart::rules
