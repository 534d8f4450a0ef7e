#pragma once
// Conversions between store rows and the in-memory model.
#include <string>
#include <vector>

#include "store/records.hpp"
#include "userlists/model.hpp"

namespace rampart::userlists {

store::EntryRecord ToRecord(const Entry& e);
store::ListRecord ToRecord(const UserList& l);  // settings only, no entries
// Rows written by rampart are trusted but re-parsed: a row that no longer parses is an error.
Result<UserList> FromRecord(const store::ListRecord& r);

// {"added":[...],"removed":[...],"updated":[...]} for the audit trail.
std::string ChangesJson(const std::vector<std::string>& added, const std::vector<std::string>& removed,
                        const std::vector<std::string>& updated);

}  // namespace rampart::userlists
