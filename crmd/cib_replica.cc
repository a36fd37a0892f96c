#include "crmd/cib_replica.h"

#include "cib/store.h"
#include "cib/validate.h"

namespace paceline::crmd {

std::string FormatVersions(const cib::Versions& v) {
  return std::to_string(v.admin_epoch) + "." + std::to_string(v.epoch) + "." +
         std::to_string(v.num_updates);
}

Status CibReplica::Load() {
  Result<cib::Document> doc = cib::CibStore(path_).Load();
  if (doc.ok()) {
    doc_ = std::move(*doc);
    return Status::Ok();
  }
  if (doc.status().code() == StatusCode::kNotFound) {
    doc_ = cib::Document{};
    return Status::Ok();
  }
  return doc.status();
}

Status CibReplica::Persist(cib::Document next) {
  PL_RETURN_IF_ERROR(cib::Validate(next.config));
  PL_RETURN_IF_ERROR(cib::CibStore(path_).Save(next));
  doc_ = std::move(next);
  return Status::Ok();
}

Status CibReplica::Replace(const cib::Versions& base, cib::Document next) {
  if (base != doc_.versions) {
    return Status::Conflict("the configuration changed meanwhile (now " +
                            FormatVersions(doc_.versions) +
                            ", the change was "
                            "made on " +
                            FormatVersions(base) + ")");
  }
  if (!(next.versions > doc_.versions)) {
    return Status::Invalid(
        "the new configuration's version " + FormatVersions(next.versions) +
        " is not above the current " + FormatVersions(doc_.versions));
  }
  return Persist(std::move(next));
}

Result<bool> CibReplica::Adopt(cib::Document next) {
  if (!(next.versions > doc_.versions)) return false;
  PL_RETURN_IF_ERROR(Persist(std::move(next)));
  return true;
}

}  // namespace paceline::crmd
