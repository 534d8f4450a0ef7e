// The ingest surface's parsers of untrusted bytes (docs/ingest.md): the event batch decoder (plain,
// gzip as sent, and text the fuzzer's bytes inflate to), the heartbeat body, the enrollment
// request and the package inventory (a first byte of 0xF0 and above). The first byte picks which; any input is decoded or refused with a 4xx class, never a
// crash, and a decoded batch holds only checked events.
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/batch.hpp"
#include "ingest/enroll.hpp"
#include "ingest/inventory.hpp"
#include "ingest/liveness.hpp"
#include "telemetry/agent_directory.hpp"

namespace {

using namespace rampart;

struct World {
  FakeClock clock;
  std::unique_ptr<store::Store> store = std::move(*store::OpenSqliteStore({":memory:"}));
  crypto::SecretBox box{std::array<uint8_t, 32>{1}};
  telemetry::PageTokenCodec codec{"k"};
  telemetry::AgentDirectory directory{*store, codec, clock, 0};
  ingest::AgentKeys keys{*store, box, clock, 1000};
  ingest::Enroller enroller{*store, keys, directory, box, clock};
  ingest::Liveness liveness{*store, directory, clock, 120000};
  store::DeployKeyRecord deploy_key{"0123456789abcdef", "0123456789abcdef01234567", "", "", 0};
  World() { (void)store->CreateOrg({deploy_key.org_id, "fuzz", 0}); }
};

void CheckRefusal(const Error& e) {
  if (e.code != Errc::kInvalid && e.code != Errc::kTooLarge && e.code != Errc::kForbidden) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World w;
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const ingest::BatchLimits limits{.max_inflated_bytes = 1 << 16, .max_events = 64, .max_line_bytes = 4096,
                                   .max_string_bytes = 512};
  if (data[0] >= 0xF0) {
    auto r = ingest::DecodeInventory(rest, data[0] & 1, limits.max_inflated_bytes);
    if (!r) {
      CheckRefusal(r.error());
    } else if ((r->full && !r->removed.empty()) || r->codename.empty()) {
      __builtin_trap();
    }
    return 0;
  }
  switch (data[0] % 5) {
    case 0:
    case 1:
    case 2: {
      const std::string gz = data[0] % 5 == 2 ? ingest::Gzip(rest) : std::string();
      auto r = data[0] % 5 == 0 ? ingest::DecodeBatch(rest, false, limits)
               : data[0] % 5 == 1 ? ingest::DecodeBatch(rest, true, limits)
                                  : ingest::DecodeBatch(gz, true, limits);
      if (!r) {
        CheckRefusal(r.error());
        break;
      }
      if (r->empty() || r->size() > limits.max_events) __builtin_trap();
      for (const auto& e : *r) {
        if (!e.contains("event_type") || !e.contains("timestamp") || e.contains("agent_id")) __builtin_trap();
      }
      break;
    }
    case 3: {
      const ingest::AgentIdentity agent{"agent", w.deploy_key.org_id, "key", {}};
      if (auto r = w.liveness.Heartbeat(agent, rest); !r) CheckRefusal(r.error());
      break;
    }
    case 4: {
      if (auto r = w.enroller.Enroll(w.deploy_key, rest); !r) CheckRefusal(r.error());
      break;
    }
  }
  return 0;
}
