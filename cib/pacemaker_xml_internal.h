// Internals shared by the Pacemaker XML import and export files
// (pacemaker_xml_import*.cc, pacemaker_xml_export*.cc). Not a public API.
//
// The import walks the CIB's element tree (cib/xml_reader.h: elements in
// document order, attribute values as views into the text). The export
// writes text directly through XmlWriter, with deterministic ids in crmsh's
// style.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cib/config_index.h"
#include "cib/model.h"
#include "cib/xml_reader.h"
#include "common/status.h"

namespace paceline::cib::pacemaker {

using Tree = xml::Element;

// The value of attribute `name` of element `e`, if present.
inline std::optional<std::string_view> Attr(const Tree& e,
                                            std::string_view name) {
  return e.Attr(name);
}
std::string AttrOr(const Tree& e, std::string_view name,
                   std::string fallback = "");
// "<tag id=ID>" for messages: names the element the way the admin finds it.
std::string Describe(std::string_view tag, const Tree& e);

// What the status import replays of one lrm_rsc_op, collected while the
// XML is parsed (xml::Observer): a 32-node, 1,000-resource status has
// 32,000 of them, most of its bytes. Kept small (72 bytes): its strings
// point into the document's text (or, for a value with entity references,
// into the collector's own copies).
struct OpRecord {
  uint32_t element = 0;   // xml::Element::index()
  int32_t rc = 0;         // rc-code
  int32_t op_status = 0;  // op-status
  int32_t target = -1;    // target rc from the transition key; -1 unknown
  int64_t call_id = 0;
  int64_t interval_ms = 0;
  int64_t last_rc_change = kNoRcChange;  // seconds since the epoch
  std::string_view task;                 // operation
  std::string_view exit_reason;

  static constexpr int64_t kNoRcChange = INT64_MIN;
};

class OpCollector : public xml::Observer {
 public:
  // `text` is the document the parse reads; it must outlive the records.
  explicit OpCollector(std::string_view text);
  // The names OnAttribute reads: 7 rc-code, call-id; 8 interval; 9
  // operation, op-status; 11 exit-reason; 14 transition-key,
  // last-rc-change.
  uint64_t Wants(std::string_view tag) const override {
    return tag != "lrm_rsc_op" ? 0
                               : LengthBit(7) | LengthBit(8) | LengthBit(9) |
                                     LengthBit(11) | LengthBit(14);
  }
  void OnAttribute(uint32_t element, const xml::Attribute& a) override;
  // The record of an lrm_rsc_op element; one without attributes has the
  // defaults.
  const OpRecord& Find(const Tree& e) const;

 private:
  // A value that stays valid: the text's own bytes, or a kept copy.
  std::string_view Keep(std::string_view value);

  std::string_view text_;
  std::vector<OpRecord> ops_;  // by element, ascending (document order)
  std::deque<std::string> copies_;
  mutable size_t next_ = 0;  // Find()'s guess: the record after the last
};

// State of one import: the notes, and the index of every element with an
// id (for id-ref), built on the first id-ref met (a large status section
// has hundreds of thousands of ids, and few CIBs use id-ref at all).
struct ImportContext {
  explicit ImportContext(const Tree& cib) : root(&cib) {}
  const Tree* root;
  std::vector<std::string> notes;
  void Note(std::string text) { notes.push_back(std::move(text)); }
  const OpCollector* ops = nullptr;  // the status section's operations
  // Follows an id-ref to the element it names (itself if it has none).
  Result<const Tree*> Resolve(std::string_view tag, const Tree& e) const;

 private:
  void IndexIds(const Tree& e) const;
  mutable bool indexed_ = false;
  mutable std::unordered_map<std::string_view, const Tree*> ids_;
};

// The nvpairs of an nvset element (instance_attributes, meta_attributes,
// cluster_property_set, utilization) into `out`; names already in `out`
// keep their value (Pacemaker: the first set that names it wins).
// Conditional sets (with a <rule>) are refused naming `owner`.
Status ReadNvSet(const ImportContext& ctx, std::string_view tag,
                 const Tree& set, std::string_view owner, Attributes* out);

Status ImportConstraints(ImportContext& ctx, const Tree& constraints,
                         Configuration* config);
Status ImportStatus(ImportContext& ctx, const Tree& cib, const Tree& status,
                    Document* doc);

// Clone bookkeeping both directions need: for a primitive id, its clone
// ancestor (or nullptr) and whether that clone is globally unique.
struct CloneInfo {
  const Resource* clone = nullptr;
  bool unique = false;
  bool promotable = false;
};
CloneInfo CloneOfPrimitive(const Configuration& config, std::string_view id);
// The same through an index, for many lookups.
CloneInfo CloneOfPrimitive(const ConfigIndex& config, std::string_view id);

// ---- Export.

// Minimal XML text writer: elements, escaped attributes, two-space indent.
class XmlWriter {
 public:
  void Open(std::string_view tag,
            const std::vector<std::pair<std::string, std::string>>& attrs,
            bool empty = false);
  void Close(std::string_view tag);
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  int depth_ = 0;
};
using XmlAttrs = std::vector<std::pair<std::string, std::string>>;

// Attribute value escaping as libxml2 writes it, which is also what the
// op-digest is computed over.
std::string EscapeAttr(std::string_view value);

// Ids are XML IDs: [A-Za-z_][A-Za-z0-9_.-]*. Anything else in a generated
// id (":" from an instance name, blanks, ...) becomes "_".
std::string SanitizeId(std::string_view text);

// Pacemaker's node id for a node: its number, or the name when it has none
// (as crmsh writes offline-declared nodes).
std::string NodeXmlId(const Node& node);

void ExportStatus(const Document& doc, XmlWriter& w);

// The op-digest Pacemaker 2.1 computes for an operation of primitive r
// (interval in ms; recurring ones include their timeout): md5 of the sorted
// parameters element.
std::string OpDigest(const Configuration& config, const Resource& r,
                     std::string_view task, long long interval_ms);

}  // namespace paceline::cib::pacemaker
