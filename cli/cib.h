// `paceline cib`: moving a CIB between Pacemaker's XML and our YAML file.
//
//   paceline cib import PACEMAKER.xml [--cib FILE]
//   paceline cib export [--output-as=xml] [--cib FILE] [--no-status]
//
// import reads a whole Pacemaker CIB (configuration and status, see
// cib/pacemaker_xml.h), validates it, and writes it as the YAML CIB
// atomically through cib::CibStore, under the file's lock. An existing file
// is replaced; if its versions are not older than the imported ones the
// epoch is bumped past them, so the import wins when nodes compare
// versions. Notes about what was mapped or ignored go to stderr
// ("notice: ..."), one summary line to stdout. Anything the model cannot
// represent refuses the whole import and leaves the file untouched.
//
// export prints the file as a Pacemaker CIB that `crm_verify -x` accepts.
//
// The file comes from --cib, else PACELINE_CIB, else CIB_file. Exit codes:
// 0 done, 2 usage or malformed XML, 1 refused (unsupported construct,
// invalid configuration) or an I/O failure.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cib/model.h"
#include "cli/crm/shell.h"
#include "common/status.h"

namespace paceline::cli {

// args: the words after `cib`.
int RunCib(const std::vector<std::string>& args, const crm::Environment& env,
           std::ostream& out, std::ostream& err);

// Reads and imports a Pacemaker XML file (shared with `simulate
// --pacemaker-xml`); notes are appended to *notes.
Result<cib::Document> ReadPacemakerXmlFile(const std::string& path,
                                           std::vector<std::string>* notes);

}  // namespace paceline::cli
