#pragma once
// ThreatSTOP v4.0 JSON shapes for user lists: the `_data` / `_links` / `_meta` envelope.
// Keys are emitted in the order of the seed's samples.
#include <boost/json/value.hpp>

#include <string>

#include "store/records.hpp"
#include "userlists/check_ioc.hpp"
#include "userlists/model.hpp"

namespace rampart::api {

const char* CollectionName(userlists::ListKind kind);  // user_ip_lists | user_domain_lists
std::string CollectionUrl(const std::string& base_url, userlists::ListKind kind);

boost::json::value AddressCount(net::U128 n);
boost::json::object MetaAddresses(const userlists::UserList& l, SysTime now);
// One list object without its addresses (collection listings, DELETE).
boost::json::object ListObject(const userlists::UserList& l, SysTime now, const std::string& base_url);
// The serialized body {"_data":[obj with addresses],"_links":…} plus top-level _meta.addresses
// when `meta`. Memoized on the list per (base_url, UTC day, meta): entries only change state at
// day boundaries, and a list version never changes.
std::shared_ptr<const std::string> SingleListBody(const userlists::UserList& l, SysTime now,
                                                  const std::string& base_url, bool meta);
boost::json::object ListCollection(const userlists::AccountLists& all, userlists::ListKind kind, SysTime now,
                                   const std::string& base_url);
boost::json::object AuditEntry(const store::AuditRecord& r);
// The check_ioc response body for `results`, serialized.
std::string CheckIocBody(const std::vector<userlists::IocResult>& results, const std::string& base_url);

}  // namespace rampart::api
