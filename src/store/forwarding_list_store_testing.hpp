#pragma once
// For tests: a ListStore that forwards every call to a real one, so a fake overrides only the
// call it is about (ApplyAll that fails, or waits at a gate) and the rest stays real.
#include <span>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace rampart::testing {

class ForwardingListStore : public store::ListStore {
 public:
  explicit ForwardingListStore(store::ListStore& inner) : inner_(inner) {}
  Result<std::vector<store::ListRecord>> LoadLists(const std::string& org) override { return inner_.LoadLists(org); }
  Result<void> ApplyAll(std::span<const store::ListChange> changes) override { return inner_.ApplyAll(changes); }
  Result<std::vector<store::AuditRecord>> ReadAudit(const std::string& org, const std::string& list, int64_t offset,
                                                    int64_t limit) override {
    return inner_.ReadAudit(org, list, offset, limit);
  }
  Result<int64_t> CountAudit(const std::string& org, const std::string& list) override {
    return inner_.CountAudit(org, list);
  }

 private:
  store::ListStore& inner_;
};

}  // namespace rampart::testing
