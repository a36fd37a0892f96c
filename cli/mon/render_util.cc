#include <algorithm>

#include "cli/mon/render_internal.h"
#include "common/strings.h"

namespace paceline::cli::mon::internal {
namespace json = boost::json;

namespace {

// Agent output and names are shown as they are, but a control character
// or a multi-byte sequence would move the cursor or break the column
// count.
std::string Printable(std::string_view text) {
  std::string s(text);
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 ||
        static_cast<unsigned char>(c) > 0x7e) {
      c = '?';
    }
  }
  return s;
}

}  // namespace

LineBuilder& LineBuilder::Add(std::string_view text, Style style) {
  std::string s = Printable(text);
  if (style != Style::kNormal && !s.empty()) {
    spans_.push_back(Span{int(text_.size()), int(s.size()), style});
  }
  text_ += s;
  return *this;
}

Line LineBuilder::Done(int width) const {
  Line line{text_, spans_};
  if (int(line.text.size()) <= width) return line;
  int keep = std::max(0, width - 3);
  line.text = line.text.substr(0, keep) +
              std::string("...").substr(0, size_t(width - keep));
  std::vector<Span> clipped;
  for (Span s : line.spans) {
    if (s.start >= keep) continue;
    s.length = std::min(s.length, keep - s.start);
    clipped.push_back(s);
  }
  line.spans = std::move(clipped);
  return line;
}

void Out::Title(std::string_view text) {
  Push(LineBuilder().Add(text, Style::kTitle));
}

void Bracketed(Out& out, int indent, std::string_view prefix,
               const std::vector<std::string>& names, Style style) {
  LineBuilder b(indent);
  b.Add("* ").Add(prefix).Add("[");
  int continuation = b.size();
  for (const std::string& name : names) {
    // Wrap before a name that would not fit with the closing " ]".
    if (b.size() + 1 + int(name.size()) + 2 > out.width &&
        b.size() > continuation) {
      out.Push(b);
      b = LineBuilder(continuation);
    }
    b.Add(" ").Add(name, style);
  }
  b.Add(" ]");
  out.Push(b);
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

bool Bool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

long long Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64()) return static_cast<long long>(v->as_uint64());
  return 0;
}

const json::array& Arr(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : kEmpty;
}

const json::object& Obj(const json::object& o, std::string_view key) {
  static const json::object kEmpty;
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? v->as_object() : kEmpty;
}

std::vector<const json::object*> Objects(const json::array& a) {
  std::vector<const json::object*> out;
  for (const json::value& v : a) {
    if (v.is_object()) out.push_back(&v.as_object());
  }
  return out;
}

std::string AgentLabel(std::string_view agent) {
  if (StartsWith(agent, "ocf:") && !StartsWith(agent, "ocf::")) {
    return "ocf::" + std::string(agent.substr(4));
  }
  return std::string(agent);
}

std::string RoleLabel(std::string_view role, const RenderOptions& options,
                      bool plural) {
  std::string word(role);
  if (!options.old_role_names) return word;
  if (role == "Promoted") return word + (plural ? " (Masters)" : " (Master)");
  if (role == "Unpromoted") return word + (plural ? " (Slaves)" : " (Slave)");
  return word;
}

bool Disabled(const json::object& entry) {
  return IEquals(Str(entry, "target_role"), "Stopped");
}

}  // namespace paceline::cli::mon::internal
