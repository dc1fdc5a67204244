#pragma once

#include "core/config/options.h"
#include "core/plugin_host/plugin_registry.h"

namespace ferry::core::migrate {

// The suffix of the Pushgateway file that an automatic migration moves aside.
inline constexpr char kPushgatewayBackupSuffix[] = ".pushgateway-backup";

// At start-up with the `file` storage (e.g. --persistence.file=F): if F is a Pushgateway
// persistence file rather than a Ferry snapshot, migrates it in place: decodes all of it, renames
// F to F.pushgateway-backup (never deleting the user's data), imports the groups into a new
// snapshot at F and logs a WARN line saying so. Returns true if it migrated. Does nothing for
// other storages, a missing F or a Ferry snapshot. Throws std::runtime_error if F looks like a
// Pushgateway file but cannot be migrated (unreadable, inconsistent, the backup name taken);
// F is then as it was.
bool migratePushgatewayFileInPlace(const config::Options& options,
                                   plugin_host::PluginRegistry& registry);

}  // namespace ferry::core::migrate
