// crm status: the crm_mon content once (cli/mon/render.h), online from
// the daemon's paceline.status/1 document, offline (--cib) from the file's
// status; --output-as=json prints the document itself.
#include <boost/json.hpp>
#include <chrono>

#include "cli/crm/context.h"
#include "cli/mon/mon.h"
#include "cli/mon/render.h"
#include "common/strings.h"
#include "crmd/ipc_server.h"

namespace paceline::cli::crm {
namespace json = boost::json;

namespace {

int Print(const Context& ctx, const json::object& status) {
  if (ctx.output_as == "json") {
    *ctx.out << json::serialize(status) << "\n";
    return 0;
  }
  mon::RenderInput in;
  in.status = &status;
  in.now = ctx.now;
  in.updated = ctx.now;
  *ctx.out << mon::PlainText(mon::RenderStatus(in, mon::RenderOptions{}, 0));
  return 0;
}

// Online: the daemon's paceline.status/1 document.
int RunStatusOnline(const Context& ctx) {
  auto response = crmd::Request(ctx.socket_path, json::object{{"op", "status"}},
                                std::chrono::seconds(10));
  if (!response.ok()) return Fail(ctx, response.status());
  const json::value* status = response->if_contains("status");
  if (status == nullptr || !status->is_object()) {
    return Fail(ctx, Status::Corrupt("the daemon's status has no \"status\""));
  }
  return Print(ctx, status->as_object());
}

}  // namespace

int RunStatus(const Context& ctx, const Tokens& args) {
  if (!args.empty()) {
    return Fail(ctx, Status::Syntax("status: unexpected " + Quote(args[0])));
  }
  if (!ctx.output_as.empty() && ctx.output_as != "text" &&
      ctx.output_as != "json") {
    return Fail(ctx, Status::Syntax("status: --output-as=" + ctx.output_as +
                                    " is not a status format (text, json)"));
  }
  if (ctx.cib_path.empty()) return RunStatusOnline(ctx);
  auto doc = LoadDocument(ctx);
  if (!doc.ok()) return Fail(ctx, doc.status());
  return Print(ctx, mon::OfflineStatus(*doc));
}

}  // namespace paceline::cli::crm
