// Permission checks that hold when the tests run as root.
//
// Root ignores permission bits, so "create fails in a read-only directory" passes for the wrong
// reason or cannot be checked at all when a suite runs as root (as CI does). runUnprivileged
// runs such a check as an ordinary user: directly when the process is not root; as root, in a
// forked child that drops to nobody/nogroup (uid and gid 65534: setgroups, setgid, setuid) and
// sends the check's verdict back to the parent through a pipe.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace ferry::testkit {

// The user and group a root process drops to (nobody and nogroup on Debian).
inline constexpr unsigned kUnprivilegedId = 65534;

// Runs `check` with the permissions of a user that is not root. `check` returns "" when what it
// checks holds, else what went wrong; it must not use gtest assertions (in a child process
// failures would not fail the test).
//
// `work_dirs` are the directories the check creates things in (a test's own temporary
// directories). As root they are handed to the unprivileged user (chown 65534:65534), and the
// child first verifies that it can enter and write each one, so that a check never passes only
// because the child could not get there: a directory under a parent that others cannot search
// (a TMPDIR under /root) fails with its path. Anything else the check opens must be reachable
// by that user too; libraries the parent already loaded are inherited by the child.
//
// Returns "" when the check held; otherwise the check's message or why it could not run
// (fork, dropping privileges, a child that crashed or ran for more than two minutes).
std::string runUnprivileged(const std::function<std::string()>& check,
                            const std::vector<std::string>& work_dirs = {});

}  // namespace ferry::testkit
