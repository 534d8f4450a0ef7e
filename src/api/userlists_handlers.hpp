#pragma once
#include "api/call.hpp"
#include "http/router.hpp"
#include "userlists/service.hpp"

namespace rampart::api {

// Registers /v4.0/user_ip_lists, /v4.0/user_domain_lists (+ /{id}, /{id}/history) and
// /v4.0/check_ioc. `lists` must outlive the router.
void AddUserListRoutes(http::Router<Route>& router, userlists::UserListService& lists);

// 11401 unless Content-Type is application/json; 10003 for malformed JSON.
// `sp` is where the parsed value lives (default: the heap); it must outlive the value.
// A page (?page=, ?per_page=) of the audit trail of `id` (a list, policy or device the caller
// has checked exists), in the lists' history shape; `self` is its _links.self.
Result<Reply> HistoryReply(userlists::UserListService& svc, const Call& c, const std::string& id, const std::string& self);

Result<boost::json::value> ParseJsonBody(const http::Request& req, boost::json::storage_ptr sp = {});

}  // namespace rampart::api
