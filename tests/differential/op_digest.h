// Pacemaker's op-digest of a resource operation, so that generated status
// sections record operations the way Pacemaker 2.1 itself would and
// crm_simulate does not restart what is already running "due to resource
// definition change".
//
// What Pacemaker 2.1.5 hashes (found by reading the digests crm_simulate
// writes with -O and checked by differential_test's OpDigestMatchesPacemaker):
// the MD5, as 32 lower-case hex digits, of
//
//   " " + <parameters NAME="VALUE" .../> + "\n"
//
// where the attributes are the resource's instance attributes (plus the
// operation's own), sorted bytewise by name, values XML-escaped, with every
// CRM_meta_* meta-attribute removed -- except that a recurring operation
// (interval > 0) keeps CRM_meta_timeout, its timeout in milliseconds. No
// parameters at all is " <parameters/>\n".
#pragma once

#include <map>
#include <optional>
#include <string>

namespace paceline::differential {

std::string OpDigest(const std::map<std::string, std::string>& params,
                     std::optional<long long> recurring_timeout_ms);

std::string XmlEscape(const std::string& text);

}  // namespace paceline::differential
