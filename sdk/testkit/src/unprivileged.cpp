#include "ferry/testkit/unprivileged.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>

namespace ferry::testkit {

namespace {

constexpr int kChildTimeoutMs = 120 * 1000;

std::string errnoText(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// In the child: drops root for good, or says why it could not.
std::string dropPrivileges() {
  const gid_t gid = kUnprivilegedId;
  const uid_t uid = kUnprivilegedId;
  if (setgroups(0, nullptr) != 0) return errnoText("setgroups");
  if (setgid(gid) != 0) return errnoText("setgid(65534)");
  if (setuid(uid) != 0) return errnoText("setuid(65534)");
  if (getuid() != uid || geteuid() != uid || getegid() != gid) {
    return "the process still runs as uid " + std::to_string(geteuid());
  }
  if (setuid(0) == 0) return "setuid(0) succeeded after dropping root";
  return "";
}

std::string checkWorkDirs(const std::vector<std::string>& work_dirs) {
  for (const auto& dir : work_dirs) {
    if (access(dir.c_str(), X_OK | W_OK) != 0) {
      return "uid " + std::to_string(geteuid()) + " cannot enter and write " + dir + " (" +
             std::strerror(errno) +
             "); run the tests with TMPDIR in a directory every user can search, e.g. /tmp";
    }
  }
  return "";
}

std::string runGuarded(const std::function<std::string()>& check) {
  try {
    return check();
  } catch (const std::exception& e) {
    return std::string("the check threw: ") + e.what();
  } catch (...) {
    return "the check threw a non-standard exception";
  }
}

void writeAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void childMain(int fd, const std::function<std::string()>& check,
                            const std::vector<std::string>& work_dirs) {
  std::string verdict = dropPrivileges();
  if (!verdict.empty()) verdict = "cannot drop root to uid/gid 65534: " + verdict;
  if (verdict.empty()) verdict = checkWorkDirs(work_dirs);
  if (verdict.empty()) verdict = runGuarded(check);
  // 'K' the check held, 'F' it did not; the message follows. Exit at once: no destructors or
  // atexit handlers of the parent's state run in the child.
  writeAll(fd, (verdict.empty() ? "K" : "F") + verdict);
  _exit(0);
}

// Reads the child's verdict until EOF, for at most kChildTimeoutMs. False on timeout.
bool readVerdict(int fd, std::string& out) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kChildTimeoutMs);
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out.append(buf, static_cast<size_t>(n));
  }
}

std::string runInChild(const std::function<std::string()>& check,
                       const std::vector<std::string>& work_dirs) {
  for (const auto& dir : work_dirs) {
    if (chown(dir.c_str(), kUnprivilegedId, kUnprivilegedId) != 0) {
      return errnoText(("chown 65534:65534 " + dir).c_str());
    }
  }
  int fds[2];
  if (pipe(fds) != 0) return errnoText("pipe");
  std::fflush(nullptr);  // nothing buffered is written twice
  pid_t child = fork();
  if (child < 0) {
    std::string why = errnoText("fork");
    close(fds[0]);
    close(fds[1]);
    return why;
  }
  if (child == 0) {
    close(fds[0]);
    childMain(fds[1], check, work_dirs);
  }
  close(fds[1]);
  std::string verdict;
  bool finished = readVerdict(fds[0], verdict);
  close(fds[0]);
  if (!finished) kill(child, SIGKILL);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!finished) return "the unprivileged check did not finish within 120 s";
  if (verdict.empty()) {
    return "the unprivileged check ended without a verdict (wait status " + std::to_string(status) +
           ")";
  }
  return verdict[0] == 'K' ? "" : verdict.substr(1);
}

}  // namespace

std::string runUnprivileged(const std::function<std::string()>& check,
                            const std::vector<std::string>& work_dirs) {
  if (geteuid() != 0) {
    std::string unreachable = checkWorkDirs(work_dirs);
    return unreachable.empty() ? runGuarded(check) : unreachable;
  }
  return runInChild(check, work_dirs);
}

}  // namespace ferry::testkit
