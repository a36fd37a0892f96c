// Pacemaker CIB XML <-> our Document.
//
// ImportPacemakerXml reads a whole Pacemaker CIB (<cib> with <configuration>
// and optionally <status>), the pacemaker-3.x schema as Pacemaker 2.1
// writes it and the older pacemaker-1.2/2.x forms (<master>, etc.), into
// our model. What we cannot represent is refused with one line naming the
// element and its id (e.g. a rsc-pattern location), never dropped silently;
// things that carry no meaning for us are collected as notes.
//
// ExportPacemakerXml writes a CIB that Pacemaker's own `crm_verify -x`
// accepts: configuration, and the status section when the document has one.
// Pure functions (no I/O).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cib/model.h"
#include "common/status.h"

namespace paceline::cib {

struct ImportedCib {
  Document doc;
  // Human-readable remarks about things accepted but ignored or mapped
  // (one line each), e.g. "op_defaults: record-pending ignored".
  std::vector<std::string> notes;
};

Result<ImportedCib> ImportPacemakerXml(std::string_view xml);

struct ExportOptions {
  bool with_status = true;
  // validate-with attribute of <cib>.
  std::string schema = "pacemaker-3.7";
};
std::string ExportPacemakerXml(const Document& doc,
                               const ExportOptions& options = {});

}  // namespace paceline::cib
