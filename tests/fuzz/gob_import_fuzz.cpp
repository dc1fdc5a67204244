// Importing a Pushgateway persistence file (core/migrate: the gob reader and the conversion to
// the store's groups), which `ferry import-pushgateway` and the file plugin's migration run on
// files nobody vetted.
// Invariants:
//  - a malformed file throws GobError (with an offset inside the file) and nothing else; groups
//    the store would not accept throw std::runtime_error;
//  - a file that reads was recognized as gob by looksLikeGob;
//  - every imported group survives the way the store keeps it: encodeGroup, then decodeGroup
//    under its key, gives the same labels and families, and the consistency check Store::load
//    applies runs over the imported groups.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/migrate/gob_stream.h"
#include "core/migrate/import_groups.h"
#include "core/migrate/pushgateway_file.h"
#include "core/store/group.h"
#include "core/store/group_codec.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace migrate = ferry::core::migrate;
namespace store = ferry::core::store;

void checkStorable(const store::Group& group) {
  const std::string bytes = store::encodeGroup(group);
  std::unique_ptr<store::Group> back;
  try {
    back = store::decodeGroup(group.key, bytes);
  } catch (const std::runtime_error& e) {
    FUZZ_CHECK(false, std::string("an imported group does not decode from storage: ") + e.what());
  }
  FUZZ_CHECK(back->labels == group.labels, "labels changed through storage");
  FUZZ_CHECK(back->families.size() == group.families.size(), "families changed through storage");
  for (const auto& [name, family] : group.families) {
    const auto it = back->families.find(name);
    FUZZ_CHECK(it != back->families.end() && it->second->bytes() == family->bytes() &&
                   it->second->timestampNanos() == family->timestampNanos(),
               "family " + name + " changed through storage");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view file = ferry::fuzz::asView(data, size);
  const bool gob = migrate::looksLikeGob(file);
  std::map<std::string, migrate::PushgatewayGroup> groups;
  try {
    groups = migrate::readPushgatewayFile(file);
  } catch (const migrate::GobError& e) {
    FUZZ_CHECK(e.offset() <= file.size(), std::string("error offset past the end: ") + e.what());
    return 0;
  }
  FUZZ_CHECK(gob, "a file that reads was not recognized as gob");

  std::vector<std::unique_ptr<store::Group>> imported;
  try {
    imported = migrate::toStoreGroups(groups);
  } catch (const migrate::GobError& e) {
    FUZZ_CHECK(false, std::string("GobError after the file was read: ") + e.what());
  } catch (const std::runtime_error&) {
    return 0;  // groups a push could not have made
  }
  for (const auto& group : imported) checkStorable(*group);
  try {
    migrate::checkConsistency({}, imported, {{"pushgateway_build_info", store::pb::GAUGE}});
  } catch (const std::runtime_error&) {
  }
  return 0;
}
