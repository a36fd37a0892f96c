// YAML <-> JSON tree conversion for cib.yaml. Schema-free: the schema lives
// in cib/document_json.h. Emission is block style, readable and stable
// (same tree, same bytes), so a human can edit and diff the file.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace paceline::cib {

// `header` lines are written as leading "# " comments.
std::string JsonToYaml(const boost::json::value& tree,
                       std::string_view header = {});

// Every scalar comes back as a JSON string (YAML "~"/null as JSON null).
// Parse errors are kCorrupt with "line L, column C: reason".
Result<boost::json::value> YamlToJson(std::string_view text);

}  // namespace paceline::cib
