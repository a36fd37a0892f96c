// The one way Paceline writes a file that must never be seen half-written
// (the CIB, cluster.yaml, the authkey): an atomic, durable create-or-replace.
// Failures are kIo statuses naming the path and errno text (kConflict when
// the target exists and overwriting was not asked for). Stateless; safe
// from any thread.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace paceline {

struct AtomicWriteOptions {
  mode_t mode = 0600;  // set with fchmod: umask neither widens nor narrows it
  // Replacing an existing file keeps its mode (and owner, where we may set
  // it) instead of `mode`: an admin's chmod of the CIB survives writes.
  bool keep_existing_mode = false;
  // Without overwrite an existing path is kConflict and left untouched
  // (checked atomically with renameat2(RENAME_NOREPLACE)).
  bool overwrite = true;
};

// Writes data to a temporary file beside path, fsyncs it, renames it over
// path and fsyncs the directory, so readers see the old file or the new
// one, never a mix. A failed write never leaves its temporary file behind.
Status WriteFileAtomically(const std::string& path, std::string_view data,
                           const AtomicWriteOptions& options);

// True if something exists at path (any file type).
bool PathExists(const std::string& path);

}  // namespace paceline
