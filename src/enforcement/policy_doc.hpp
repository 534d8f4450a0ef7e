#pragma once
// A policy's stored document (store::PolicyObjectRecord::doc), both ways. Reading never throws: a
// document that does not read is an Internal error naming the policy.
#include <boost/json/object.hpp>

#include "base/result.hpp"
#include "enforcement/policies.hpp"
#include "store/records.hpp"

namespace rampart::enforcement {

boost::json::object PolicyDoc(const Policy& p);
Result<Policy> PolicyFromRecord(const store::PolicyObjectRecord& r);

}  // namespace rampart::enforcement
