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
#include "common/atomic_file.h"
#include "common/strings.h"
#include "common/unique_fd.h"

namespace paceline::cib {
namespace {

constexpr std::string_view kHeader =
    "Paceline cluster configuration (CIB). Written atomically by paceline;\n"
    "edit with care: crm configure edit/load is safer.";

Result<std::string> ReadAll(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
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

Result<UniqueFd> LockExclusive(const std::string& lock_path) {
  UniqueFd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
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
  // A new CIB is 0600 (params may hold passwords); an existing one keeps
  // the mode and owner an admin gave it.
  return WriteFileAtomically(path_, JsonToYaml(tree, kHeader),
                             {.mode = 0600, .keep_existing_mode = true});
}

Status CibStore::Update(const std::function<Status(Document&)>& mutate,
                        bool create_if_missing) const {
  PL_ASSIGN_OR_RETURN(UniqueFd lock, LockExclusive(path_ + ".lock"));
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
