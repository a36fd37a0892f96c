// CibStore: the configuration file on disk (cib.yaml).
//
// Reads and writes whole Documents. Writes are atomic: a temporary file in
// the same directory, fsync, rename over the target, fsync of the directory,
// so a reader sees either the old or the new file, never a mix, and a crash
// leaves no half-written configuration. A new file is created mode 0600 (it
// may hold passwords in params); an existing file keeps its mode.
//
// Update() serialises read-modify-write cycles of concurrent processes with
// an flock() on a lock file beside the target ("<file>.lock"), held from the
// read to the rename. Not thread-safe within one process; one owner.
#pragma once

#include <functional>
#include <string>

#include "cib/model.h"

namespace paceline::cib {

class CibStore {
 public:
  explicit CibStore(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // kNotFound if the file does not exist; kCorrupt (message with the file
  // name, line and column) if it cannot be parsed or fails the schema.
  Result<Document> Load() const;

  // Atomic replace of the whole file.
  Status Save(const Document& doc) const;

  // Locks, loads (an empty Document if the file does not exist and
  // create_if_missing), calls mutate, and saves if mutate returned OK and
  // the document changed. If mutate fails nothing is written. Returns
  // mutate's status.
  Status Update(const std::function<Status(Document&)>& mutate,
                bool create_if_missing = true) const;

 private:
  std::string path_;
};

// The exact bytes Save() writes for doc (header comment included).
std::string SerializeDocument(const Document& doc);
Result<Document> ParseDocument(std::string_view yaml_text);

}  // namespace paceline::cib
