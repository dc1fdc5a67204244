// `faulty`: a storage plugin for tests that fails on demand. It keeps its entries in memory
// (like a durable backend as far as the core can tell: it is not FERRY_STORAGE_VOLATILE, so the
// core writes every change to it) and refuses write() and wipe() with FERRY_ERR_IO while the
// file named by "fail_flag" exists, leaving its entries as they were, as the ABI requires of a
// failed call. Tests create and remove that file to make storage fail and recover.
#include <sys/stat.h>

#include <ferry/sdk.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace ferry::tests::faulty {

class FaultyStorage : public sdk::StoragePlugin {
 public:
  FaultyStorage(const sdk::Host&, sdk::Config& config)
      : fail_flag_(config.require<std::string>("fail_flag")) {}

  void write(const std::vector<sdk::StorageOp>& ops) override {
    failIfFlagged("write");
    std::unique_lock lock(mu_);
    for (const auto& op : ops) {
      if (op.kind == FERRY_STORAGE_PUT) {
        entries_[std::string(op.key)] = std::string(op.value);
      } else {
        entries_.erase(std::string(op.key));
      }
    }
  }

  void scan(const std::function<bool(std::string_view, std::string_view)>& fn) override {
    std::shared_lock lock(mu_);
    for (const auto& [key, value] : entries_) {
      if (!fn(key, value)) break;
    }
  }

  void wipe() override {
    failIfFlagged("wipe");
    std::unique_lock lock(mu_);
    entries_.clear();
  }

 private:
  void failIfFlagged(const char* what) const {
    struct stat st;
    if (stat(fail_flag_.c_str(), &st) == 0) {
      throw sdk::ioError(std::string(what) + " refused: injected failure (" + fail_flag_ +
                         " exists)");
    }
  }

  std::string fail_flag_;
  std::shared_mutex mu_;
  std::map<std::string, std::string> entries_;
};

}  // namespace ferry::tests::faulty

FERRY_PLUGIN(ferry::tests::faulty::FaultyStorage, "faulty", "1.0.0",
             "Test storage that fails write and wipe while a flag file exists (config: "
             "fail_flag)",
             R"({"fail_flag": "/nonexistent/ferry-fail"})")
