#include "cli/crm/context.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cib/store.h"

namespace paceline::cli::crm {

namespace {

// Online mode needs the daemon (the controller issue). Until then, say
// precisely why the command cannot run and how to work offline.
Status Online(const Context& ctx) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  std::string why = "the daemon protocol is not in this build yet";
  if (fd >= 0) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, ctx.socket_path.c_str(),
                 sizeof(addr.sun_path) - 1);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      why = std::strerror(errno);
    }
    close(fd);
  }
  return Status::Unavailable("cannot reach the paceline daemon at " +
                             ctx.socket_path + " (" + why +
                             "); for offline mode use --cib FILE or "
                             "PACELINE_CIB=FILE");
}

}  // namespace

int Fail(const Context& ctx, const Status& status) {
  if (status.ok()) return 0;
  *ctx.err << "ERROR: " << status.message() << "\n";
  return status.ExitCode();
}

Status Commit(const Context& ctx, const cib::Edit& edit) {
  if (ctx.cib_path.empty()) return Online(ctx);
  cib::CibStore store(ctx.cib_path);
  std::vector<std::string> notices;
  Status s = store.Update([&](cib::Document& doc) -> Status {
    auto r = cib::ApplyEdit(doc, edit, ctx.now);
    if (!r.ok()) return r.status();
    notices = std::move(r->notices);
    return Status::Ok();
  });
  if (s.ok()) {
    for (const auto& n : notices) *ctx.err << n << "\n";
  }
  return s;
}

Result<cib::Document> LoadDocument(const Context& ctx) {
  if (ctx.cib_path.empty()) return Online(ctx);
  auto doc = cib::CibStore(ctx.cib_path).Load();
  if (!doc.ok() && doc.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("configuration file " + ctx.cib_path +
                            " does not exist (the first `crm configure` "
                            "change creates it)");
  }
  return doc;
}

}  // namespace paceline::cli::crm
