#pragma once
// For tests: an error as (class, reason), and the pairs the surfaces' codes come from, so a unit
// test below api/ asserts rampart's vocabulary, not an API's numbers.
#include <utility>

#include "base/result.hpp"

namespace rampart::testing {

using Why = std::pair<Errc, Reason>;

inline constexpr Why kOk{Errc::kInternal, Reason::kNone};  // what Of() says of a success
inline constexpr Why kBadParameter{Errc::kInvalid, Reason::kNone};
inline constexpr Why kMalformed{Errc::kInvalid, Reason::kMalformed};
inline constexpr Why kIdInPost{Errc::kInvalid, Reason::kIdInCollectionPost};
inline constexpr Why kNotAnAddress{Errc::kInvalid, Reason::kNotAnAddress};
inline constexpr Why kForbiddenNetwork{Errc::kInvalid, Reason::kForbiddenNetwork};
inline constexpr Why kDomainTooLong{Errc::kInvalid, Reason::kDomainTooLong};
inline constexpr Why kTooManyEntries{Errc::kTooLarge, Reason::kTooManyEntries};
inline constexpr Why kConflict{Errc::kConflict, Reason::kNone};
inline constexpr Why kInUse{Errc::kInUse, Reason::kNone};
inline constexpr Why kNotFound{Errc::kNotFound, Reason::kNone};

template <class R>
Why Of(const R& r) {
  return r ? kOk : Why{r.error().code, r.error().reason};
}

}  // namespace rampart::testing
