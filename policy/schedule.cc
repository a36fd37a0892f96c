// The pipeline in one place. Each stage is a function of the working set;
// see policy.h for what each does.
#include "policy/action_builder.h"
#include "policy/policy.h"
#include "policy/working_set.h"

namespace paceline::policy {

Result<TransitionGraph> Schedule(const Snapshot& snapshot,
                                 const Options& options, WallTime now) {
  TransitionGraph graph;
  internal::WorkingSet ws(snapshot);
  ws.options = &options;
  ws.now = now;
  ws.graph = &graph;

  PL_RETURN_IF_ERROR(internal::Unpack(ws));
  internal::ApplyNodeCriteria(ws);
  internal::AssignResources(ws);
  internal::ActionBuilder builder(ws);
  internal::CreateActions(ws, builder);
  internal::CreateOrderings(ws, builder);
  PL_RETURN_IF_ERROR(ValidateGraph(graph));
  internal::PropagateBlocking(ws, builder);
  internal::RecordPlacements(ws, builder);
  return graph;
}

}  // namespace paceline::policy
