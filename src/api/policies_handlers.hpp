#pragma once
// The v4.0 enforcement services: /v4.0/policies (with /zone and /export renderings) and
// /v4.0/devices. Same envelope, Bearer auth and error shape as the user lists.
#include "api/call.hpp"
#include "http/router.hpp"
#include "enforcement/policies.hpp"
#include "rpz/zones.hpp"

namespace rampart::api {

struct EnforcementDeps {
  enforcement::PolicyService& policies;
  rpz::ZoneRegistry& zones;
  userlists::UserListService& lists;
};

void AddPolicyRoutes(http::Router<Route>& router, EnforcementDeps& deps);

}  // namespace rampart::api
