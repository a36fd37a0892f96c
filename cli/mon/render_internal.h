// Helpers shared by the crm_mon renderer's files: building one styled line
// and reading a paceline.status/1 document leniently (a missing or
// mistyped field reads as empty, so an older daemon's document still
// renders).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/mon/render.h"

namespace paceline::cli::mon::internal {

// Appends styled pieces; Done() clips to the width ("..." at the end).
class LineBuilder {
 public:
  explicit LineBuilder(int indent = 0) : text_(indent, ' ') {}
  LineBuilder& Add(std::string_view text, Style style = Style::kNormal);
  int size() const { return int(text_.size()); }
  Line Done(int width) const;

 private:
  std::string text_;
  std::vector<Span> spans_;
};

// The lines being rendered, with the width they must fit in.
struct Out {
  const RenderOptions& options;
  int width;
  std::vector<Line> lines;
  void Push(const LineBuilder& b) { lines.push_back(b.Done(width)); }
  void Title(std::string_view text);
  void Blank() { lines.push_back(Line{}); }
};

// "  * PREFIX[ a b c ]": wraps onto indented continuation lines when the
// names do not fit the width.
void Bracketed(Out& out, int indent, std::string_view prefix,
               const std::vector<std::string>& names, Style style);

std::string Str(const boost::json::object& o, std::string_view key);
bool Bool(const boost::json::object& o, std::string_view key);
long long Int(const boost::json::object& o, std::string_view key);
const boost::json::array& Arr(const boost::json::object& o,
                              std::string_view key);
const boost::json::object& Obj(const boost::json::object& o,
                               std::string_view key);
// The array's objects (other values skipped).
std::vector<const boost::json::object*> Objects(const boost::json::array& a);

// "ocf::heartbeat:Filesystem" (crm_mon's spelling) for "ocf:heartbeat:...".
std::string AgentLabel(std::string_view agent);
// "Promoted (Master)" with old_role_names, else "Promoted".
std::string RoleLabel(std::string_view role, const RenderOptions& options,
                      bool plural);
bool Disabled(const boost::json::object& entry);  // target_role Stopped

// Section renderers (render_resources.cc).
void RenderResources(Out& out, const boost::json::object& status);
void RenderByNode(Out& out, const boost::json::object& status);

}  // namespace paceline::cli::mon::internal
