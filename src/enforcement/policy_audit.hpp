#pragma once
// What the audit trail records of a device: its settings as served, never its TSIG secret — only
// that a new one was generated ("tsig_secret":"generated") when `before` had another or none.
#include <string>

#include "enforcement/policies.hpp"

namespace rampart::enforcement {

std::string AuditDeviceDoc(const Device& d, const Device* before);

}  // namespace rampart::enforcement
