// CibReplica: this node's copy of the configuration document (CIB), kept
// in STATE_DIR/cib.yaml. The DC is the single writer: Replace() is how a
// change from any node's CLI is committed there — a compare-and-swap on
// the versions the change was computed from, so two concurrent changes
// cannot silently overwrite each other (the loser retries on the new
// document). Adopt() is how a member takes the DC's newer document.
//
// Every write is validated first and persisted atomically (cib::CibStore)
// before it is visible; a refused write changes nothing, on disk or in
// memory. Single-threaded (the daemon's io_context thread).
#pragma once

#include <string>

#include "cib/model.h"
#include "common/status.h"

namespace paceline::crmd {

class CibReplica {
 public:
  explicit CibReplica(std::string path) : path_(std::move(path)) {}

  // Reads the file; a missing file is an empty document (versions 0).
  Status Load();
  const cib::Document& doc() const { return doc_; }
  const cib::Versions& versions() const { return doc_.versions; }
  const std::string& path() const { return path_; }

  // Commits `next`, computed from a document with versions `base`.
  // kConflict if base is not the current versions ("changed meanwhile"),
  // kInvalid if next does not validate or does not move the versions
  // forward. On success the document is persisted and current.
  Status Replace(const cib::Versions& base, cib::Document next);

  // Takes `next` if it is newer than ours (by versions); false if not.
  Result<bool> Adopt(cib::Document next);

 private:
  Status Persist(cib::Document next);

  std::string path_;
  cib::Document doc_;
};

// "admin_epoch.epoch.num_updates", for messages and logs.
std::string FormatVersions(const cib::Versions& v);

}  // namespace paceline::crmd
