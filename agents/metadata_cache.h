// A file cache of agents' meta-data, so that commands which only need an
// agent's self-description (`crm configure primitive`'s parameter warnings,
// `crm ra info`, timeouts for `agent exec`) do not pay ~30 ms for running
// the agent each time.
//
// One file per agent, DIR/metadata/<class:provider:type>.xml: a header line
// with the agent file's path, size and mtime (ns), then the XML exactly as
// the agent printed it. An entry is used only when the agent file still
// has that path, size and mtime; a package upgrade that replaces the agent
// changes them. Not covered: an agent whose meta-data depends on files it
// includes (ocf-shellfuncs) changing without the agent itself changing.
//
// DIR: $PACELINE_CACHE_DIR, else /var/cache/paceline. Writes are atomic
// (common/atomic_file.h), so concurrent commands see an old entry or a new
// one. A cache that cannot be read or written is a miss, never an error:
// the caller runs the agent as before. Stateless apart from the directory
// name; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace paceline::agents {

// What identifies one version of an agent file.
struct AgentStamp {
  std::string path;
  long long size = 0;
  long long mtime_ns = 0;
  friend bool operator==(const AgentStamp&, const AgentStamp&) = default;
};

// stat() of path; kNotFound when it does not exist.
Result<AgentStamp> StampOf(const std::string& path);

// Pure: the cache file's text, and the XML back out of it when the stamp
// matches (nullopt for another stamp or a malformed file).
std::string EncodeCacheEntry(const AgentStamp& stamp, std::string_view xml);
std::optional<std::string> DecodeCacheEntry(std::string_view text,
                                            const AgentStamp& want);

class MetadataCache {
 public:
  // dir "" disables the cache (every lookup misses, stores do nothing).
  explicit MetadataCache(std::string dir) : dir_(std::move(dir)) {}
  // $PACELINE_CACHE_DIR, else /var/cache/paceline.
  static std::string DefaultDir();

  // The cached XML for agent (its "class:provider:type" name) if the entry
  // was made from this very file version.
  std::optional<std::string> Lookup(std::string_view agent,
                                    const AgentStamp& stamp) const;
  // Creates DIR/metadata if needed. Errors only for the caller's logs.
  Status Store(std::string_view agent, const AgentStamp& stamp,
               std::string_view xml) const;

  std::string EntryPath(std::string_view agent) const;

 private:
  std::string dir_;
};

}  // namespace paceline::agents
