// Small POSIX file helpers for the membership module's secrets and
// configuration: an atomic, durable create-or-replace with an explicit mode,
// and a bounded read. Failures are kIo statuses naming the path and errno
// text (kConflict when the target exists and overwriting was not asked for).
// Stateless; safe from any thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace paceline::membership {

// Writes data to a temporary file beside path (created with `mode`, which
// umask cannot widen or narrow: it is set with fchmod), fsyncs it, renames
// it over path and fsyncs the directory, so readers see the old file or the
// new one, never a mix. Without overwrite an existing path is kConflict and
// is left untouched (checked atomically with renameat2(RENAME_NOREPLACE)).
// A failed write never leaves its temporary file behind.
Status WriteFileAtomically(const std::string& path, std::string_view data,
                           mode_t mode, bool overwrite);

// True if something exists at path (any file type).
bool PathExists(const std::string& path);

}  // namespace paceline::membership
