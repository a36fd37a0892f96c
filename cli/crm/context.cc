#include "cli/crm/context.h"

#include <boost/json.hpp>
#include <chrono>
#include <optional>

#include "cib/store.h"
#include "crmd/ipc_server.h"

namespace paceline::cli::crm {

namespace {

namespace json = boost::json;

constexpr auto kRequestTimeout = std::chrono::seconds(30);
constexpr int kCommitAttempts = 5;
constexpr auto kWaitLimit = std::chrono::seconds(300);

std::string Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

// One progress line for an event, or "" for events not worth a line.
std::string Progress(const json::object& e) {
  std::string kind = Field(e, "event");
  if (kind == "action_started") {
    return "  " + Field(e, "task") + " " + Field(e, "resource") + " on " +
           Field(e, "node") + " ...";
  }
  if (kind == "action_done") {
    return "  " + Field(e, "task") + " " + Field(e, "resource") + " on " +
           Field(e, "node") + ": ok";
  }
  if (kind == "action_failed") {
    return "  " + Field(e, "task") + " " + Field(e, "resource") + " on " +
           Field(e, "node") + ": FAILED (rc " + Field(e, "rc") + ", " +
           Field(e, "reason") + ")";
  }
  if (kind == "transition_finished") {
    return "transition " + Field(e, "transition") + " " +
           (Field(e, "aborted") == "true" ? "aborted" : "complete") + " in " +
           Field(e, "ms") + " ms";
  }
  if (kind == "view") {
    return "membership: view " + Field(e, "view") + ", DC " + Field(e, "dc");
  }
  return "";
}

Status Offline(const Status& s) {
  if (s.code() != StatusCode::kUnavailable ||
      s.message().rfind("cannot reach", 0) != 0) {
    return s;
  }
  return Status::Unavailable(s.message() +
                             "; for offline mode use --cib FILE or "
                             "PACELINE_CIB=FILE");
}

// The daemon's current document (with the live status, or the stored
// status section only, as committed: the base of an edit).
Result<cib::Document> FetchOnline(const Context& ctx, bool live) {
  auto r = crmd::Request(ctx.socket_path,
                         json::object{{"op", "get_cib"}, {"live", live}},
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
  // With --wait the feed starts before the change, so the progress shows
  // every action of the transition it causes.
  std::optional<Subscription> sub;
  if (ctx.wait) {
    PL_ASSIGN_OR_RETURN(Subscription s, Subscribe(ctx));
    sub.emplace(std::move(s));
  }
  for (int attempt = 0; attempt < kCommitAttempts; ++attempt) {
    PL_ASSIGN_OR_RETURN(cib::Document doc, FetchOnline(ctx, false));
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
      return sub ? WaitSettled(ctx, *sub, kWaitLimit) : Status::Ok();
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
  if (ctx.cib_path.empty()) return FetchOnline(ctx, true);
  auto doc = cib::CibStore(ctx.cib_path).Load();
  if (!doc.ok() && doc.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("configuration file " + ctx.cib_path +
                            " does not exist (the first `crm configure` "
                            "change creates it)");
  }
  return doc;
}

Status DaemonRequest(const Context& ctx, const json::object& request) {
  auto r = crmd::Request(ctx.socket_path, request, kRequestTimeout);
  return r.ok() ? Status::Ok() : Offline(r.status());
}

Result<Subscription> Subscribe(const Context& ctx) {
  auto client = crmd::IpcClient::Connect(ctx.socket_path);
  if (!client.ok()) return Offline(client.status());
  PL_RETURN_IF_ERROR(client->Send(json::object{{"op", "subscribe"}}));
  PL_ASSIGN_OR_RETURN(json::object answer,
                      client->Next(std::chrono::seconds(5)));
  PL_RETURN_IF_ERROR(crmd::AnswerStatus(answer));
  return Subscription{std::move(*client)};
}

Status WaitSettled(const Context& ctx, Subscription& sub,
                   std::chrono::seconds limit) {
  crmd::IpcClient& client = sub.client;
  PL_RETURN_IF_ERROR(client.Send(json::object{{"op", "wait"}}));
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Status::Unavailable("the cluster did not settle within " +
                                 std::to_string(limit.count()) + " s");
    }
    PL_ASSIGN_OR_RETURN(json::object line, client.Next(left));
    if (line.contains("event")) {
      if (std::string p = Progress(line); !p.empty()) *ctx.err << p << "\n";
      continue;
    }
    if (Field(line, "op") == "wait") return crmd::AnswerStatus(line);
  }
}

}  // namespace paceline::cli::crm
