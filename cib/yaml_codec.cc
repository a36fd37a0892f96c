// YAML <-> JSON for cib.yaml, on top of yaml-cpp.
//
// Emission: maps and lists of maps in block style, lists of scalars in flow
// style ([a, b]), empty containers as {} and []. A string that a YAML 1.1 or
// 1.2 reader would resolve to something else (null, a boolean, a number, a
// timestamp) is double-quoted, so other tools read our strings as strings;
// everything else is left to yaml-cpp, which quotes and escapes what plain
// style cannot carry (':', '#', newlines, leading blanks, ...).
//
// Parsing: yaml-cpp throws; this file is the boundary where its exceptions
// become kCorrupt statuses with a 1-based "line L, column C".
#include "cib/yaml_codec.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include "common/strings.h"

namespace paceline::cib {
namespace {

namespace json = boost::json;

// Deeper trees are not CIBs; the limit keeps recursion bounded on
// adversarial input.
constexpr int kMaxDepth = 64;

bool IsScalar(const json::value& v) { return !v.is_object() && !v.is_array(); }

// YAML 1.1 booleans and nulls (a superset of YAML 1.2's), compared without
// case, plus the merge and value keys of 1.1.
bool IsReservedWord(std::string_view s) {
  static constexpr std::string_view kWords[] = {
      "y",  "yes", "n",    "no", "true", "false",
      "on", "off", "null", "~",  "<<",   "=",
  };
  for (std::string_view w : kWords) {
    if (IEquals(s, w)) return true;
  }
  return false;
}

// Numbers, timestamps and sexagesimals all start (after a sign) with a
// digit or with '.' and a digit; .inf and .nan are the other floats.
bool LooksNumeric(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return false;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (digit(s[0])) return true;
  if (s[0] != '.') return false;
  if (s.size() > 1 && digit(s[1])) return true;
  return IEquals(s, ".inf") || IEquals(s, ".nan");
}

// A line starting with "---" or "..." ends a YAML document.
bool LooksLikeDocumentMarker(std::string_view s) {
  return StartsWith(s, "---") || StartsWith(s, "...");
}

void EmitString(YAML::Emitter& out, std::string_view s) {
  if (s.empty() || IsReservedWord(s) || LooksNumeric(s) ||
      LooksLikeDocumentMarker(s)) {
    out << YAML::DoubleQuoted;
  }
  out << std::string(s);
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

void Emit(YAML::Emitter& out, const json::value& v);

void EmitArray(YAML::Emitter& out, const json::array& a) {
  bool flow = true;
  for (const json::value& item : a) flow = flow && IsScalar(item);
  out << (flow ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
  for (const json::value& item : a) Emit(out, item);
  out << YAML::EndSeq;
}

void EmitObject(YAML::Emitter& out, const json::object& o) {
  out << (o.empty() ? YAML::Flow : YAML::Block) << YAML::BeginMap;
  for (const auto& kv : o) {
    out << YAML::Key;
    EmitString(out, kv.key());
    out << YAML::Value;
    Emit(out, kv.value());
  }
  out << YAML::EndMap;
}

void Emit(YAML::Emitter& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      out << YAML::Null;
      break;
    case json::kind::bool_:
      out << v.get_bool();
      break;
    case json::kind::int64:
      out << static_cast<long long>(v.get_int64());
      break;
    case json::kind::uint64:
      out << static_cast<unsigned long long>(v.get_uint64());
      break;
    case json::kind::double_:
      out << FormatDouble(v.get_double());
      break;
    case json::kind::string:
      EmitString(out, v.get_string());
      break;
    case json::kind::array:
      EmitArray(out, v.get_array());
      break;
    case json::kind::object:
      EmitObject(out, v.get_object());
      break;
  }
}

std::string At(const YAML::Mark& mark, const std::string& msg) {
  if (mark.is_null()) return msg;
  return "line " + std::to_string(mark.line + 1) + ", column " +
         std::to_string(mark.column + 1) + ": " + msg;
}

// yaml-cpp's messages for a tab-indented line ("illegal map value", ...)
// do not mention the tab; say it when the offending line starts with one.
std::string TabHint(std::string_view text, const YAML::Mark& mark,
                    const std::string& msg) {
  if (mark.is_null() || msg.find("tab") != std::string::npos) return "";
  std::vector<std::string> lines = Split(text, '\n');
  if (mark.line < 0 || static_cast<size_t>(mark.line) >= lines.size()) {
    return "";
  }
  const std::string& line = lines[mark.line];
  size_t indent = line.find_first_not_of(" \t");
  if (line.substr(0, indent).find('\t') == std::string::npos) return "";
  return " (the line is indented with a tab; YAML allows only spaces)";
}

Status Convert(const YAML::Node& node, int depth, json::value* out);

Status ConvertMap(const YAML::Node& node, int depth, json::value* out) {
  json::object obj;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      return Status::Corrupt(
          At(kv.first.Mark(), "a map key must be a plain string"));
    }
    const std::string& key = kv.first.Scalar();
    if (obj.contains(key)) {
      return Status::Corrupt(
          At(kv.first.Mark(), "duplicate key " + Quote(key)));
    }
    json::value value;
    PL_RETURN_IF_ERROR(Convert(kv.second, depth + 1, &value));
    obj.emplace(key, std::move(value));
  }
  *out = std::move(obj);
  return Status::Ok();
}

Status Convert(const YAML::Node& node, int depth, json::value* out) {
  if (depth > kMaxDepth) {
    return Status::Corrupt(
        At(node.Mark(),
           "nested deeper than " + std::to_string(kMaxDepth) + " levels"));
  }
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      *out = json::string(node.Scalar());
      return Status::Ok();
    case YAML::NodeType::Sequence: {
      json::array arr;
      for (const YAML::Node& item : node) {
        json::value value;
        PL_RETURN_IF_ERROR(Convert(item, depth + 1, &value));
        arr.push_back(std::move(value));
      }
      *out = std::move(arr);
      return Status::Ok();
    }
    case YAML::NodeType::Map:
      return ConvertMap(node, depth, out);
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      *out = nullptr;
      return Status::Ok();
  }
  return Status::Ok();
}

// yaml-cpp 0.7 accepts a quoted scalar left open when the input ends just
// after a line break (a truncated file then parses, the rest of it swallowed
// into the string). Ending the input on a non-blank character makes it
// report "illegal EOF in scalar" instead; trailing blanks carry no meaning
// outside block scalars, which we never write.
std::string_view WithoutTrailingBlanks(std::string_view text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  return end == std::string_view::npos ? std::string_view()
                                       : text.substr(0, end + 1);
}

Result<json::value> Parse(std::string_view text) {
  std::vector<YAML::Node> docs =
      YAML::LoadAll(std::string(WithoutTrailingBlanks(text)));
  if (docs.empty()) return json::value(nullptr);
  if (docs.size() > 1) {
    return Status::Corrupt(
        At(docs[1].Mark(), "a second YAML document (only one is allowed)"));
  }
  json::value out;
  PL_RETURN_IF_ERROR(Convert(docs[0], 0, &out));
  return out;
}

}  // namespace

std::string JsonToYaml(const boost::json::value& tree,
                       std::string_view header) {
  std::string text;
  if (!header.empty()) {
    for (const std::string& line : Split(header, '\n')) {
      text += line.empty() ? "#\n" : "# " + line + "\n";
    }
  }
  YAML::Emitter out;
  out.SetIndent(2);
  Emit(out, tree);
  // The emitter only fails on unbalanced Begin/End calls, which Emit()
  // cannot produce.
  text.append(out.c_str(), out.size());
  text += "\n";
  return text;
}

Result<boost::json::value> YamlToJson(std::string_view text) {
  try {
    return Parse(text);
  } catch (const YAML::Exception& e) {
    return Status::Corrupt(At(e.mark, e.msg) + TabHint(text, e.mark, e.msg));
  } catch (const std::exception& e) {
    return Status::Corrupt(std::string("cannot read YAML: ") + e.what());
  }
}

}  // namespace paceline::cib
