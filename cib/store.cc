// CibStore: cib.yaml on disk (see cib/store.h for the guarantees).
//
// The pure halves (SerializeDocument, ParseDocument) compose the schema
// (document_json) with the codec (yaml_codec). The rest is POSIX file work:
// every failure becomes a kIo status naming the path and strerror, and a
// failed Save never leaves its temporary file behind.
#include "cib/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>

#include "cib/document_json.h"
#include "cib/yaml_codec.h"
#include "common/strings.h"

namespace paceline::cib {
namespace {

constexpr std::string_view kHeader =
    "Paceline cluster configuration (CIB). Written atomically by paceline;\n"
    "edit with care: crm configure edit/load is safer.";

// Owns one file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports the error close() may carry (NFS reports
  // deferred write errors there).
  int Close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

Status IoError(const std::string& path, std::string_view what, int err) {
  return Status::Io(path + ": " + std::string(what) + ": " +
                    std::strerror(err));
}

std::string DirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

std::string TempPathFor(const std::string& path) {
  std::filesystem::path p(path);
  std::string name =
      "." + p.filename().string() + ".tmp." + std::to_string(::getpid());
  return (p.parent_path() / name).string();
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path, "write failed", errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Result<std::string> ReadAll(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0 && errno == ENOENT) {
    return Status::NotFound(path + ": no such file");
  }
  if (fd.get() < 0) return IoError(path, "cannot open", errno);
  // Read straight into a buffer of the file's size: growing one by copies
  // touches twice the memory, and in a short-lived crm process each new page
  // is a page fault. The loop still copes with a file that changes size.
  struct stat st {};
  size_t size = 0;
  if (::fstat(fd.get(), &st) == 0 && st.st_size > 0) {
    size = static_cast<size_t>(st.st_size);
  }
  std::string text;
  text.resize(size + 1);  // one more byte to see the end in one read
  size_t used = 0;
  for (;;) {
    if (used == text.size()) text.resize(text.size() * 2);
    ssize_t n = ::read(fd.get(), text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path, "read failed", errno);
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  text.resize(used);
  return text;
}

Status SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return IoError(dir, "cannot open directory", errno);
  if (::fsync(fd.get()) != 0) return IoError(dir, "fsync failed", errno);
  return Status::Ok();
}

// The new file gets the old one's mode (and owner, when we may set it), or
// 0600 if there is no old file: params may hold passwords.
Status CopyAttributes(int fd, const std::string& path, const std::string& tmp) {
  struct stat st {};
  mode_t mode = 0600;
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists) mode = st.st_mode & 07777;
  if (::fchmod(fd, mode) != 0) return IoError(tmp, "chmod failed", errno);
  if (exists && (st.st_uid != ::geteuid() || st.st_gid != ::getegid())) {
    // Only root may give a file away; others keep what they can.
    if (::fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM) {
      return IoError(tmp, "chown failed", errno);
    }
  }
  return Status::Ok();
}

// Writes text to tmp and makes it durable; the caller renames it.
Status WriteTemp(const std::string& tmp, const std::string& path,
                 std::string_view text) {
  Fd fd(::open(tmp.c_str(),
               O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    return IoError(path, "cannot create temporary file " + tmp, errno);
  }
  PL_RETURN_IF_ERROR(CopyAttributes(fd.get(), path, tmp));
  PL_RETURN_IF_ERROR(WriteAll(fd.get(), text, tmp));
  if (::fsync(fd.get()) != 0) return IoError(tmp, "fsync failed", errno);
  if (fd.Close() != 0) return IoError(tmp, "close failed", errno);
  return Status::Ok();
}

Result<Fd> LockExclusive(const std::string& lock_path) {
  Fd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) return IoError(lock_path, "cannot open lock file", errno);
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return IoError(lock_path, "flock failed", errno);
  }
  return fd;
}

// Splits a schema error path ("configuration.resources[3].ops[0]") into map
// keys and list indexes.
std::vector<std::string> PathSegments(std::string_view path) {
  std::vector<std::string> out;
  std::string current;
  for (char c : path) {
    if (c == '.' || c == '[' || c == ']') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// The position of the value a schema error names: the path before ": ",
// and the key of an "unknown key 'K'" message. Stops at the deepest node
// found, so an odd path still points near the problem.
YAML::Mark LocateSchemaError(const YAML::Node& root, const std::string& msg) {
  YAML::Mark mark = root.Mark();
  std::vector<std::string> segments =
      PathSegments(std::string_view(msg).substr(0, msg.find(": ")));
  if (size_t k = msg.find("unknown key '"); k != std::string::npos) {
    size_t start = k + 13;
    segments.push_back(msg.substr(start, msg.rfind('\'') - start));
  }
  YAML::Node node = root;
  for (const std::string& seg : segments) {
    YAML::Node next;
    if (node.IsMap()) {
      for (const auto& kv : node) {
        if (kv.first.IsScalar() && kv.first.Scalar() == seg) {
          mark = kv.first.Mark();
          next = kv.second;
        }
      }
    } else if (node.IsSequence()) {
      long long i = -1;
      if (ParseInt64(seg, &i) && i >= 0 && size_t(i) < node.size()) {
        next = node[size_t(i)];
        mark = next.Mark();
      }
    }
    if (!next.IsDefined()) break;
    node = next;
  }
  return mark;
}

// Prefixes a schema error with the line and column of what it names.
Status WithPosition(std::string_view yaml_text, const Status& error) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    YAML::Mark mark = LocateSchemaError(root, error.message());
    if (mark.is_null()) return error;
    return error.WithContext("line " + std::to_string(mark.line + 1) +
                             ", column " + std::to_string(mark.column + 1));
  } catch (const std::exception&) {
    return error;  // already parsed once; keep the plain message
  }
}

}  // namespace

std::string SerializeDocument(const Document& doc) {
  return JsonToYaml(DocumentToJson(doc), kHeader);
}

Result<Document> ParseDocument(std::string_view yaml_text) {
  PL_ASSIGN_OR_RETURN(boost::json::value tree, YamlToJson(yaml_text));
  Result<Document> doc = DocumentFromJson(tree);
  if (!doc.ok()) return WithPosition(yaml_text, doc.status());
  return doc;
}

Result<Document> CibStore::Load() const {
  PL_ASSIGN_OR_RETURN(std::string text, ReadAll(path_));
  Result<Document> doc = ParseDocument(text);
  if (!doc.ok()) return doc.status().WithContext(path_);
  return doc;
}

Status CibStore::Save(const Document& doc) const {
  const boost::json::value tree = DocumentToJson(doc);
  // Never write a file Load() would refuse: an unreadable CIB stops the
  // node at its next start. Only the schema can refuse what DocumentToJson
  // builds; the YAML layer gives back every tree it writes (pinned by
  // tests/cib/yaml_fastpath_test.cc), so checking the tree is enough, and
  // costs a fraction of re-reading the text.
  if (Result<Document> back = DocumentFromJson(tree); !back.ok()) {
    return Status::Invalid(
        path_ + ": refusing to write a configuration " +
        "that cannot be read back: " + back.status().message());
  }
  const std::string text = JsonToYaml(tree, kHeader);
  const std::string tmp = TempPathFor(path_);
  Status s = WriteTemp(tmp, path_, text);
  if (s.ok() && ::rename(tmp.c_str(), path_.c_str()) != 0) {
    s = IoError(path_, "cannot rename " + tmp + " over it", errno);
  }
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return SyncDirectory(DirectoryOf(path_));
}

Status CibStore::Update(const std::function<Status(Document&)>& mutate,
                        bool create_if_missing) const {
  PL_ASSIGN_OR_RETURN(Fd lock, LockExclusive(path_ + ".lock"));
  Result<Document> loaded = Load();
  Document doc;
  if (loaded.ok()) {
    doc = std::move(loaded).value();
  } else if (loaded.status().code() != StatusCode::kNotFound ||
             !create_if_missing) {
    return loaded.status();
  }
  const Document before = doc;
  Status s = mutate(doc);
  if (!s.ok() || doc == before) return s;
  PL_RETURN_IF_ERROR(Save(doc));
  return s;  // the lock is released when `lock` closes
}

}  // namespace paceline::cib
