// ExecutorRunner: the daemon's ActionRunner, real agents through
// agents::Executor.
#pragma once

#include "agents/executor.h"
#include "crmd/lrm.h"

namespace paceline::crmd {

class ExecutorRunner final : public ActionRunner {
 public:
  explicit ExecutorRunner(agents::Executor& executor) : executor_(executor) {}
  void Run(agents::ActionRequest req, Done done) override {
    executor_.Submit(std::move(req), std::move(done));
  }
  uint64_t StartRecurring(agents::ActionRequest req, Done each) override {
    auto id = executor_.StartRecurring(std::move(req), std::move(each));
    return id.ok() ? *id : 0;
  }
  void CancelRecurring(uint64_t id) override { executor_.CancelRecurring(id); }

 private:
  agents::Executor& executor_;
};

}  // namespace paceline::crmd
