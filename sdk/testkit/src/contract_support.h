// Helpers shared by the storage contract's test files (not part of the kit's public API).
#pragma once

#include <ferry/testkit/storage_driver.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ferry::testkit::support {

// Success if the scan returned OK, reported no key twice and found exactly `expected`; the
// failure message lists the first differences.
::testing::AssertionResult sameContents(const ScanResult& scan, const StorageMap& expected);

// Every byte value 0..255 once, in order.
std::string allBytes();

// `size` deterministic bytes derived from `seed` (every byte value occurs).
std::string patternValue(size_t size, uint64_t seed);

// A new empty directory under $TMPDIR (or /tmp). Throws std::runtime_error on failure.
std::string makeTempDir(const std::string& label);
void removeTree(const std::string& path);

void writeFile(const std::string& path, const std::string& bytes);
std::string readFile(const std::string& path);
// Names of the regular files directly in `dir`, sorted.
std::vector<std::string> regularFiles(const std::string& dir);

// Shared stores: reads every commit after `after` that is there now (read_changes with no
// wait, repeated until it delivers nothing); appends them to `out`, sets `*last` to the last
// position read (or `after`). Returns the first failure, if any.
CallResult readAllChanges(StorageDriver& store, uint64_t after, std::vector<FeedCommit>& out,
                          uint64_t* last);
// Applies commits to a map, as a replica applies the feed to its state.
void applyCommits(StorageMap& state, const std::vector<FeedCommit>& commits);

}  // namespace ferry::testkit::support
