#include "agents/metadata_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "common/atomic_file.h"
#include "common/strings.h"

namespace paceline::agents {

namespace {

constexpr std::string_view kMagic = "paceline-metadata-cache 1 ";

// The whole file, or nullopt if it cannot be read.
std::optional<std::string> ReadSmallFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buf[16384];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) text.append(buf, size_t(n));
  close(fd);
  if (n < 0) return std::nullopt;
  return text;
}

}  // namespace

Result<AgentStamp> StampOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return Status::NotFound(path + ": " + std::strerror(errno));
  }
  return AgentStamp{path, static_cast<long long>(st.st_size),
                    static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL +
                        st.st_mtim.tv_nsec};
}

std::string EncodeCacheEntry(const AgentStamp& stamp, std::string_view xml) {
  std::string text(kMagic);
  text += std::to_string(stamp.size) + " " + std::to_string(stamp.mtime_ns) +
          " " + stamp.path + "\n";
  text += xml;
  return text;
}

std::optional<std::string> DecodeCacheEntry(std::string_view text,
                                            const AgentStamp& want) {
  size_t eol = text.find('\n');
  if (eol == std::string_view::npos || !StartsWith(text, kMagic)) {
    return std::nullopt;
  }
  std::string header = EncodeCacheEntry(want, "");
  if (text.substr(0, eol + 1) != header) return std::nullopt;
  return std::string(text.substr(eol + 1));
}

std::string MetadataCache::DefaultDir() {
  const char* env = std::getenv("PACELINE_CACHE_DIR");
  return env && *env ? env : "/var/cache/paceline";
}

std::string MetadataCache::EntryPath(std::string_view agent) const {
  return dir_ + "/metadata/" + std::string(agent) + ".xml";
}

std::optional<std::string> MetadataCache::Lookup(
    std::string_view agent, const AgentStamp& stamp) const {
  if (dir_.empty()) return std::nullopt;
  std::optional<std::string> text = ReadSmallFile(EntryPath(agent));
  if (!text) return std::nullopt;
  return DecodeCacheEntry(*text, stamp);
}

Status MetadataCache::Store(std::string_view agent, const AgentStamp& stamp,
                            std::string_view xml) const {
  if (dir_.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(dir_ + "/metadata", ec);
  if (ec) {
    return Status::Io("cannot create " + dir_ + "/metadata: " + ec.message());
  }
  AtomicWriteOptions options;
  options.mode = 0644;
  return WriteFileAtomically(EntryPath(agent), EncodeCacheEntry(stamp, xml),
                             options);
}

}  // namespace paceline::agents
