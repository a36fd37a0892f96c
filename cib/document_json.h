// The document tree: the one schema of the on-disk and JSON forms.
//
// DocumentToJson builds the canonical tree of a Document (the layout of
// cib.yaml and of `crm configure show --output-as=json`); DocumentFromJson
// reads it back. The reader is lenient about scalar types (the YAML codec
// hands over every scalar as a string, so "12" and 12 both read as 12) and
// strict about structure: an unknown key or a wrong shape is a kCorrupt
// error naming the path, e.g. "resources[3].ops[0]: unknown key 'intervl'".
#pragma once

#include <boost/json.hpp>

#include "cib/model.h"

namespace paceline::cib {

boost::json::object DocumentToJson(const Document& doc);
Result<Document> DocumentFromJson(const boost::json::value& tree);

// The configuration alone (no versions, no status).
boost::json::object ConfigurationToJson(const Configuration& config);

}  // namespace paceline::cib
