// Compiled without RAMPART_TEST_HOOKS, like the Release server: the test-only clock switch must
// be refused there, whatever the configuration says.
#include <gtest/gtest.h>

#include "app/config.hpp"

#ifdef RAMPART_TEST_HOOKS
#error "this check must be compiled as a production build"
#endif

namespace rampart::app {

TEST(ProductionBuild, RefusesTestHooks) {
  Config c;
  EXPECT_TRUE(Validate(c));
  c.enable_test_hooks = true;
  auto r = Validate(c);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find("production build"), std::string::npos);
}

}  // namespace rampart::app
