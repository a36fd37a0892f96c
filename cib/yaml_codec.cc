// YAML <-> JSON for cib.yaml.
//
// Writing is our own: the layout is fixed (maps and lists of maps in block
// style, lists of scalars in flow style [a, b], empty containers as {} and
// []), so a direct writer takes ~1 ms where YAML::Emitter took ~25 on a
// 1,000-primitive CIB, and the fast reader (cib/yaml_fast.h) can be exact
// about what it accepts. The bytes are YAML::Emitter's, except that a few
// strings it wrote plain or mangled are now quoted and escaped (CR, DEL,
// NEL, U+2028/9, "?x", ":x") or kept (bytes that are not UTF-8). A string
// is plain only if its plain form is unambiguous: IsPlainSyntax() for the
// syntax, and not a word or number a YAML 1.1 or 1.2 reader would resolve
// to something else (null, a boolean, a number, a timestamp), so other
// tools read our strings as strings. Everything else is double-quoted.
//
// Reading tries the fast subset reader first and falls back to yaml-cpp,
// which throws: this file is the boundary where its exceptions become
// kCorrupt statuses with a 1-based "line L, column C".
#include "cib/yaml_codec.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "cib/yaml_fast.h"
#include "common/strings.h"

namespace paceline::cib {
namespace {

namespace json = boost::json;

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

std::string FormatDouble(double d) {
  if (std::isnan(d)) return ".nan";
  if (std::isinf(d)) return d > 0 ? ".inf" : "-.inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

// A map or list that takes lines of its own; everything else is written
// on the line of its key or dash.
bool IsBlockMap(const json::value& v) {
  return v.is_object() && !v.get_object().empty();
}
bool IsBlockList(const json::value& v) {
  if (!v.is_array()) return false;
  for (const json::value& item : v.get_array()) {
    if (!IsScalar(item)) return true;
  }
  return false;
}

// About the size Writer gives v at this indentation, quotes and escapes
// aside. JsonToYaml reserves it once: growing a 300 KB string by copies
// touches twice the memory, and each new page is a page fault in a
// short-lived crm process.
size_t SizeEstimate(const json::value& v, size_t indent) {
  size_t size = 2;
  switch (v.kind()) {
    case json::kind::string:
      return v.get_string().size() + 2;
    case json::kind::array:
      for (const json::value& item : v.get_array()) {
        size += indent + 4 + SizeEstimate(item, indent + 2);
      }
      return size;
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        size +=
            indent + kv.key().size() + 4 + SizeEstimate(kv.value(), indent + 2);
      }
      return size;
    default:
      return 24;
  }
}

// Appends the block layout of a tree, two spaces per level.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(*out) {}

  void Document(const json::value& v) {
    if (IsBlockMap(v)) {
      Map(v.get_object(), 0, false);
    } else if (IsBlockList(v)) {
      List(v.get_array(), 0, false);
    } else {
      Inline(v, YamlContext::kBlock);
      out_ += '\n';
    }
  }

 private:
  void Indent(int n) { out_.append(static_cast<size_t>(n), ' '); }

  // `compact`: a block map or list starts on this line (after "- " or
  // "? key\n: "); otherwise on the next one, two spaces deeper.
  void Value(const json::value& v, int indent, bool compact) {
    if (IsBlockMap(v)) {
      out_ += compact ? ' ' : '\n';
      Map(v.get_object(), indent + 2, compact);
    } else if (IsBlockList(v)) {
      out_ += compact ? ' ' : '\n';
      List(v.get_array(), indent + 2, compact);
    } else {
      out_ += ' ';
      Inline(v, YamlContext::kBlock);
      out_ += '\n';
    }
  }

  void Map(const json::object& map, int indent, bool first_inline) {
    bool first = true;
    for (const auto& kv : map) {
      if (!first || !first_inline) Indent(indent);
      first = false;
      const size_t key_at = out_.size();
      String(kv.key(), YamlContext::kBlock);
      if (out_.size() - key_at <= kMaxImplicitKeyLength) {
        out_ += ':';
        Value(kv.value(), indent, false);
      } else {
        out_.insert(key_at, "? ");
        out_ += '\n';
        Indent(indent);
        out_ += ':';
        Value(kv.value(), indent, true);
      }
    }
  }

  // A list item that is a map starts after its dash; one that is a list
  // starts on the next line (yaml-cpp's layout, kept for stable bytes).
  void List(const json::array& list, int indent, bool first_inline) {
    bool first = true;
    for (const json::value& item : list) {
      if (!first || !first_inline) Indent(indent);
      first = false;
      out_ += '-';
      Value(item, indent, IsBlockMap(item));
    }
  }

  void Inline(const json::value& v, YamlContext ctx) {
    switch (v.kind()) {
      case json::kind::null:
        out_ += '~';
        break;
      case json::kind::bool_:
        out_ += v.get_bool() ? "true" : "false";
        break;
      case json::kind::int64:
        out_ += std::to_string(v.get_int64());
        break;
      case json::kind::uint64:
        out_ += std::to_string(v.get_uint64());
        break;
      case json::kind::double_:
        PlainOrQuoted(FormatDouble(v.get_double()), ctx);
        break;
      case json::kind::string:
        String(v.get_string(), ctx);
        break;
      case json::kind::array:
        FlowList(v.get_array());
        break;
      case json::kind::object:
        out_ += "{}";  // only empty maps are written inline
        break;
    }
  }

  void FlowList(const json::array& list) {
    out_ += '[';
    bool first = true;
    for (const json::value& item : list) {
      if (!first) out_ += ", ";
      first = false;
      Inline(item, YamlContext::kFlow);
    }
    out_ += ']';
  }

  void String(std::string_view s, YamlContext ctx) {
    if (IsReservedWord(s) || LooksNumeric(s)) {
      Quoted(s);
    } else {
      PlainOrQuoted(s, ctx);
    }
  }

  void PlainOrQuoted(std::string_view s, YamlContext ctx) {
    if (IsPlainSyntax(s, ctx)) {
      out_ += s;
    } else {
      Quoted(s);
    }
  }

  void Escape(char32_t cp) {
    static constexpr char kHex[] = "0123456789abcdef";
    const int digits = cp <= 0xFF ? 2 : 4;
    out_ += cp <= 0xFF ? "\\x" : "\\u";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out_ += kHex[(cp >> shift) & 0xF];
    }
  }

  // Bytes that are not UTF-8 are copied as they are: yaml-cpp reads them
  // back unchanged, and no escape could (\xNN is a code point).
  void Quoted(std::string_view s) {
    out_ += '"';
    for (size_t i = 0; i < s.size();) {
      const char c = s[i];
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
        ++i;
        continue;
      }
      if (c == '\n' || c == '\t' || c == '\r') {
        out_ += c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r";
        ++i;
        continue;
      }
      char32_t cp = 0;
      const int n = DecodeUtf8(s, i, &cp);
      if (n == 0) {
        out_ += c;
        ++i;
      } else {
        if (IsPrintableCodePoint(cp)) {
          out_.append(s, i, static_cast<size_t>(n));
        } else {
          Escape(cp);
        }
        i += static_cast<size_t>(n);
      }
    }
    out_ += '"';
  }

  std::string& out_;
};

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
  if (depth > kMaxYamlDepth) {
    return Status::Corrupt(
        At(node.Mark(),
           "nested deeper than " + std::to_string(kMaxYamlDepth) + " levels"));
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
  // A little over the estimate: untouched capacity costs nothing.
  const size_t estimate = SizeEstimate(tree, 0);
  text.reserve(text.size() + estimate + estimate / 8);
  Writer(&text).Document(tree);
  return text;
}

Result<boost::json::value> YamlCppToJson(std::string_view text) {
  try {
    return Parse(text);
  } catch (const YAML::Exception& e) {
    return Status::Corrupt(At(e.mark, e.msg) + TabHint(text, e.mark, e.msg));
  } catch (const std::exception& e) {
    return Status::Corrupt(std::string("cannot read YAML: ") + e.what());
  }
}

Result<boost::json::value> YamlToJson(std::string_view text) {
  if (std::optional<json::value> tree = FastParseYaml(text)) {
    return std::move(*tree);
  }
  return YamlCppToJson(text);
}

}  // namespace paceline::cib
