#include "cli/crm/context.h"

#include <boost/json.hpp>
#include <chrono>

#include "cib/store.h"
#include "crmd/ipc_server.h"

namespace paceline::cli::crm {

namespace {

namespace json = boost::json;

constexpr auto kRequestTimeout = std::chrono::seconds(30);
constexpr int kCommitAttempts = 5;

Status Offline(const Status& s) {
  if (s.code() != StatusCode::kUnavailable ||
      s.message().rfind("cannot reach", 0) != 0) {
    return s;
  }
  return Status::Unavailable(s.message() +
                             "; for offline mode use --cib FILE or "
                             "PACELINE_CIB=FILE");
}

// The daemon's current document.
Result<cib::Document> FetchOnline(const Context& ctx) {
  auto r = crmd::Request(ctx.socket_path, json::object{{"op", "get_cib"}},
                         kRequestTimeout);
  if (!r.ok()) return Offline(r.status());
  const json::value* text = r->if_contains("cib");
  if (text == nullptr || !text->is_string()) {
    return Status::Corrupt("the daemon's answer has no \"cib\"");
  }
  return cib::ParseDocument(text->as_string());
}

// Online commit: the edit is applied to the daemon's current document here,
// and the result is committed by the DC only if nobody changed the
// configuration meanwhile (compare-and-swap on the versions); otherwise it
// is recomputed on the newer document.
Status CommitOnline(const Context& ctx, const cib::Edit& edit) {
  for (int attempt = 0; attempt < kCommitAttempts; ++attempt) {
    PL_ASSIGN_OR_RETURN(cib::Document doc, FetchOnline(ctx));
    cib::Versions base = doc.versions;
    auto applied = cib::ApplyEdit(doc, edit, ctx.now);
    if (!applied.ok()) return applied.status();
    json::object request{
        {"op", "cib_replace"},
        {"base", json::object{{"admin_epoch", base.admin_epoch},
                              {"epoch", base.epoch},
                              {"num_updates", base.num_updates}}},
        {"cib", cib::SerializeDocument(doc)}};
    auto r = crmd::Request(ctx.socket_path, request, kRequestTimeout);
    if (r.ok()) {
      for (const auto& n : applied->notices) *ctx.err << n << "\n";
      return Status::Ok();
    }
    if (r.status().code() != StatusCode::kConflict) return Offline(r.status());
  }
  return Status::Conflict(
      "the configuration kept changing while this change was made; try "
      "again");
}

}  // namespace

int Fail(const Context& ctx, const Status& status) {
  if (status.ok()) return 0;
  *ctx.err << "ERROR: " << status.message() << "\n";
  return status.ExitCode();
}

Status Commit(const Context& ctx, const cib::Edit& edit) {
  if (ctx.cib_path.empty()) return CommitOnline(ctx, edit);
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
  if (ctx.cib_path.empty()) return FetchOnline(ctx);
  auto doc = cib::CibStore(ctx.cib_path).Load();
  if (!doc.ok() && doc.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("configuration file " + ctx.cib_path +
                            " does not exist (the first `crm configure` "
                            "change creates it)");
  }
  return doc;
}

}  // namespace paceline::cli::crm
