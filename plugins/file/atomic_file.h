#pragma once

#include <optional>
#include <string>
#include <string_view>

// File system work of the `file` storage plugin: reading a snapshot, replacing it atomically,
// and checking at start that its directory takes new files. Failures throw std::runtime_error
// with the path, the system call and strerror, e.g.
// `write /var/lib/ferry/f.snap.tmp-Ab3dEf: No space left on device`.
namespace ferry::plugins::file {

// The whole content of the regular file at `path`, or nullopt if there is no file (ENOENT).
// Anything else (a directory, no permission, an I/O error) throws. Never modifies the file.
std::optional<std::string> readWholeFile(const std::string& path);

// Throws unless a new file can be created in the directory that holds `path` (creates and
// removes a temporary file there), so a wrong or read-only directory fails at start.
void probeDirectory(const std::string& path);

// Removes the temporary files that saves of `path` left behind when the process died during a
// save (`<path>.tmp-XXXXXX`, nothing else); returns how many. Best effort: never throws.
size_t removeStaleTempFiles(const std::string& path);

// Replaces `path` atomically: the bytes go to a new temporary file next to it (mode 0600),
// which commit() fsyncs and renames over `path`, then fsyncs the directory so the rename
// itself is durable. Until commit() returns, `path` keeps its old content; a writer destroyed
// without a successful commit() removes its temporary file. Not thread-safe; one per save.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Buffered; throws on a failed write.
  void write(std::string_view data);
  void commit();

 private:
  void flushBuffer();
  void writeAll(std::string_view data);

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  std::string buffer_;
  bool committed_ = false;
};

}  // namespace ferry::plugins::file
