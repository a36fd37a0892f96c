// paceline cib import|export: option parsing, file I/O, and the store.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <memory>
#include <sstream>

#include "cib/pacemaker_xml.h"
#include "cib/store.h"
#include "cli/cib.h"
#include "common/strings.h"

namespace paceline::cli {

namespace {

namespace po = boost::program_options;

struct Request {
  std::string verb;
  std::vector<std::string> words;
  std::string cib_path;
  std::string output_as = "xml";
  bool no_status = false;
  bool help = false;
};

constexpr const char* kUsage =
    "usage: paceline cib import PACEMAKER.xml [--cib FILE]\n"
    "       paceline cib export [--output-as=xml] [--no-status] [--cib FILE]\n";

Status Parse(const std::vector<std::string>& args, Request& r,
             std::string* help) {
  po::options_description opts("paceline cib options");
  opts.add_options()("help,h", po::bool_switch(&r.help), "show this help")(
      "cib", po::value(&r.cib_path)->value_name("FILE"),
      "the YAML CIB file (default: $PACELINE_CIB, then $CIB_file)")(
      "output-as", po::value(&r.output_as)->value_name("xml"),
      "export format (Pacemaker CIB XML)")("no-status",
                                           po::bool_switch(&r.no_status),
                                           "export the configuration only");
  po::options_description hidden;
  hidden.add_options()("words", po::value(&r.words));
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description positional;
  positional.add("words", -1);
  try {
    po::variables_map vm;
    po::store(
        po::command_line_parser(args).options(all).positional(positional).run(),
        vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    return Status::Syntax(std::string("cib: ") + e.what());
  }
  std::ostringstream text;
  text << kUsage << opts;
  *help = text.str();
  if (r.help) return Status::Ok();
  if (r.words.empty()) return Status::Syntax("cib: expected import or export");
  r.verb = r.words[0];
  r.words.erase(r.words.begin());
  if (r.verb == "import") {
    if (r.words.size() != 1) {
      return Status::Syntax("cib import: expected one Pacemaker XML file");
    }
  } else if (r.verb == "export") {
    if (!r.words.empty()) {
      return Status::Syntax("cib export: unexpected argument " +
                            Quote(r.words[0]));
    }
    if (r.output_as != "xml") {
      return Status::Syntax("cib export: --output-as=" + r.output_as +
                            ": expected xml");
    }
  } else {
    return Status::Syntax("cib: unknown command " + Quote(r.verb) +
                          " (expected import or export)");
  }
  return Status::Ok();
}

std::string CibPath(const Request& r, const crm::Environment& env) {
  if (!r.cib_path.empty()) return r.cib_path;
  for (const char* name : {"PACELINE_CIB", "CIB_file"}) {
    auto it = env.vars.find(name);
    if (it != env.vars.end() && !it->second.empty()) return it->second;
  }
  return "";
}

int Fail(std::ostream& err, const Status& s) {
  err << "ERROR: " << s.message() << "\n";
  return s.ExitCode();
}

int Import(const Request& r, const std::string& path, std::ostream& out,
           std::ostream& err) {
  std::vector<std::string> notes;
  auto imported = ReadPacemakerXmlFile(r.words[0], &notes);
  if (!imported.ok()) return Fail(err, imported.status());
  cib::Document doc = std::move(*imported);
  bool bumped = false;
  Status s = cib::CibStore(path).Update([&](cib::Document& current) {
    bool existed = current != cib::Document{};
    if (existed && current.versions >= doc.versions) {
      doc.versions.epoch = current.versions.epoch + 1;
      doc.versions.admin_epoch = current.versions.admin_epoch;
      doc.versions.num_updates = 0;
      bumped = true;
    }
    current = doc;
    return Status::Ok();
  });
  if (!s.ok()) return Fail(err, s.WithContext(path));
  for (const auto& note : notes) err << "notice: " << note << "\n";
  if (bumped) {
    err << "notice: " << path << " had versions at least as new; epoch set to "
        << doc.versions.epoch << "\n";
  }
  size_t constraints = doc.config.constraints.size();
  out << "imported " << doc.config.nodes.size() << " nodes, "
      << doc.config.resources.size() << " resources, " << constraints
      << " constraints and the status of " << doc.status.nodes.size()
      << " nodes into " << path << " (epoch " << doc.versions.epoch << ")\n";
  return 0;
}

int Export(const Request& r, const std::string& path, std::ostream& out,
           std::ostream& err) {
  auto doc = cib::CibStore(path).Load();
  if (!doc.ok()) {
    if (doc.status().code() == StatusCode::kNotFound) {
      return Fail(err, Status::NotFound("configuration file " + path +
                                        " does not exist"));
    }
    return Fail(err, doc.status());
  }
  cib::ExportOptions options;
  options.with_status = !r.no_status;
  out << cib::ExportPacemakerXml(*doc, options);
  return 0;
}

}  // namespace

namespace {

// A whole file's text, read into memory. Not mapped: on the virtual
// machines clusters are tested on, setting up the mapping of a large file
// page by page costs more than reading it into the heap, which a large job
// backs with huge pages (cli/simulate_heap.h).
class FileText {
 public:
  Status Open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Status::Io("cannot read " + path + ": " + std::strerror(errno));
    }
    struct stat st {};
    size_t expected =
        fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? size_t(st.st_size) : 0;
    // One byte more than the size, to see the end in one read.
    size_t capacity = std::max<size_t>(expected + 1, 64 << 10);
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    size_t size = 0;
    for (;;) {
      if (size == capacity) {
        auto bigger = std::make_unique_for_overwrite<char[]>(2 * capacity);
        std::memcpy(bigger.get(), data.get(), size);
        data = std::move(bigger);
        capacity *= 2;
      }
      ssize_t n = ::read(fd, data.get() + size, capacity - size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        Status s =
            Status::Io("cannot read " + path + ": " + std::strerror(errno));
        ::close(fd);
        return s;
      }
      if (n == 0) break;
      size += size_t(n);
    }
    ::close(fd);
    data_ = std::move(data);
    size_ = size;
    return Status::Ok();
  }
  std::string_view text() const { return std::string_view(data_.get(), size_); }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

}  // namespace

Result<cib::Document> ReadPacemakerXmlFile(const std::string& path,
                                           std::vector<std::string>* notes) {
  FileText file;
  PL_RETURN_IF_ERROR(file.Open(path));
  auto imported = cib::ImportPacemakerXml(file.text());
  if (!imported.ok()) return imported.status().WithContext(path);
  notes->insert(notes->end(), imported->notes.begin(), imported->notes.end());
  return std::move(imported->doc);
}

int RunCib(const std::vector<std::string>& args, const crm::Environment& env,
           std::ostream& out, std::ostream& err) {
  Request r;
  std::string help;
  if (Status s = Parse(args, r, &help); !s.ok()) {
    err << "ERROR: " << s.message() << "\n" << kUsage;
    return s.ExitCode();
  }
  if (r.help) {
    out << help;
    return 0;
  }
  std::string path = CibPath(r, env);
  if (path.empty()) {
    return Fail(err, Status::Syntax("cib " + r.verb +
                                    " needs a CIB file: --cib FILE, "
                                    "PACELINE_CIB=FILE or CIB_file=FILE"));
  }
  return r.verb == "import" ? Import(r, path, out, err)
                            : Export(r, path, out, err);
}

}  // namespace paceline::cli
