#pragma once
// Check IOC: which of an account's lists match an IP address or a domain. Served from the
// in-memory snapshot, never from the store.
#include <string>

#include <boost/container/small_vector.hpp>
#include <vector>

#include "base/result.hpp"
#include "userlists/model.hpp"

namespace rampart::userlists {

inline constexpr size_t kMaxIocsPerRequest = 10;

struct Ioc {
  std::string text;   // normalized
  bool is_ip = false;
  net::IpAddress ip;  // when is_ip
};

struct IocMatch {
  std::shared_ptr<const UserList> list;
  const Entry* entry = nullptr;  // points into *list
};

struct IocResult {
  Ioc ioc;
  // In list creation order; held inline for the usual few (an allocation per IOC otherwise).
  boost::container::small_vector<IocMatch, 4> matches;
};

// A single IP address (v4 or v6) or a domain name; Invalid otherwise.
Result<Ioc> ParseIoc(std::string_view raw);

// IPs match any active entry whose network or range contains them (the most specific entry of
// each list is reported); domains match an entry equal to them or to any parent domain.
IocResult CheckIoc(const AccountLists& lists, Ioc ioc, SysTime now);

}  // namespace rampart::userlists
