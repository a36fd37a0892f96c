// The subset YAML reader (see cib/yaml_fast.h for the contract).
//
// yaml-cpp takes ~35 ms to read a 1,000-primitive cib.yaml; this reader
// takes under 2. A first pass refuses any byte that could change the
// meaning of what follows (tabs, CRs, control characters, invalid or
// unusual UTF-8); then recursive descent walks the content lines, looking
// one line ahead. Every "not what we write" answer is a plain `return
// false`, which makes the whole parse give up and leaves the text, with
// its error messages, to yaml-cpp.
#include "cib/yaml_fast.h"

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "common/strings.h"

namespace paceline::cib {
namespace {

namespace json = boost::json;

// A content line: its indentation and the text after it, trailing spaces
// removed (they carry no meaning outside block scalars).
struct Line {
  int indent;
  std::string_view text;
};

bool IsIndicator(char c) {
  static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  return kIndicators.find(c) != std::string_view::npos;
}

bool IsFlowIndicator(char c) {
  static constexpr std::string_view kFlow = ",[]{}?";
  return kFlow.find(c) != std::string_view::npos;
}

// yaml-cpp resolves exactly these plain scalars to null.
bool IsNullWord(std::string_view s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// Only bytes every reader agrees on: no control characters (tabs and CRs
// included), valid UTF-8 of printable code points.
bool AllBytesPrintable(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      ++i;
    } else if (c == '\n') {
      ++i;
    } else {
      char32_t cp = 0;
      int n = DecodeUtf8(text, i, &cp);
      if (n == 0 || !IsPrintableCodePoint(cp)) return false;
      i += n;
    }
  }
  return true;
}

// The content lines of a text, one at a time: blank and comment lines are
// skipped, trailing spaces dropped. The parser looks at most one line ahead,
// so no table of lines is built (for a big CIB it would be ~10,000 entries
// of memory touched for nothing).
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) { Next(); }

  bool More() const { return has_line_; }
  const Line& Current() const { return line_; }
  // Makes the rest of the current line, from column `indent`, the current
  // line (a list item after its dash).
  void Narrow(int indent, std::string_view rest) { line_ = {indent, rest}; }
  // A document marker or a directive was met: only yaml-cpp reads those.
  bool refused() const { return refused_; }

  void Next() {
    has_line_ = false;
    while (pos_ < text_.size()) {
      size_t end = text_.find('\n', pos_);
      if (end == std::string_view::npos) end = text_.size();
      std::string_view line = text_.substr(pos_, end - pos_);
      pos_ = end + 1;
      size_t indent = line.find_first_not_of(' ');
      if (indent == std::string_view::npos) continue;
      size_t last = line.find_last_not_of(' ');
      std::string_view content = line.substr(indent, last + 1 - indent);
      if (content[0] == '#') continue;
      if (indent == 0 && (StartsWith(content, "---") ||
                          StartsWith(content, "...") || content[0] == '%')) {
        refused_ = true;
        return;
      }
      line_ = {static_cast<int>(indent), content};
      has_line_ = true;
      return;
    }
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  Line line_{0, {}};
  bool has_line_ = false;
  bool refused_ = false;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The escapes the writer uses, and nothing else: \xNN and \uNNNN stand for
// code points (as in YAML), so \xff is U+00FF, two bytes in UTF-8.
bool ReadEscape(std::string_view s, size_t* i, std::string* out) {
  if (*i >= s.size()) return false;
  char e = s[(*i)++];
  switch (e) {
    case '"':
    case '\\':
      *out += e;
      return true;
    case 'n':
      *out += '\n';
      return true;
    case 't':
      *out += '\t';
      return true;
    case 'r':
      *out += '\r';
      return true;
    case 'x':
    case 'u':
      break;
    default:
      return false;
  }
  const size_t digits = e == 'x' ? 2 : 4;
  if (s.size() - *i < digits) return false;
  char32_t cp = 0;
  for (size_t k = 0; k < digits; ++k) {
    int h = HexValue(s[*i + k]);
    if (h < 0) return false;
    cp = cp * 16 + static_cast<char32_t>(h);
  }
  *i += digits;
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // yaml-cpp refuses these
  AppendUtf8(cp, out);
  return true;
}

// A double-quoted scalar starting at s[*i] == '"' and ending on this line;
// leaves *i after the closing quote.
bool ReadQuoted(std::string_view s, size_t* i, std::string* out) {
  out->clear();
  ++*i;
  while (*i < s.size()) {
    size_t stop = s.find_first_of("\"\\", *i);
    if (stop == std::string_view::npos) return false;
    out->append(s.substr(*i, stop - *i));
    *i = stop + 1;
    if (s[stop] == '"') return true;
    if (!ReadEscape(s, i, out)) return false;
  }
  return false;
}

bool IsSequenceEntry(std::string_view text) {
  return text == "-" || StartsWith(text, "- ");
}

// Where the ':' that ends the key of a "key: value" line is, or npos if the
// line is not a mapping entry (a flow list may hold ": " in quotes).
size_t FindKeyColon(std::string_view text, std::string* scratch) {
  size_t from = 0;
  if (text[0] == '[' || text[0] == '{') return std::string_view::npos;
  if (text[0] == '"') {
    size_t i = 0;
    if (!ReadQuoted(text, &i, scratch)) return std::string_view::npos;
    from = i;
    if (from >= text.size() || text[from] != ':') {
      return std::string_view::npos;
    }
  }
  for (size_t i = text.find(':', from); i != std::string_view::npos;
       i = text.find(':', i + 1)) {
    if (i + 1 == text.size() || text[i + 1] == ' ') return i;
  }
  return std::string_view::npos;
}

// A scalar as the writer writes it, the whole of s; plain null words are
// JSON null, everything else a string.
bool ReadScalar(std::string_view s, YamlContext ctx, std::string* scratch,
                json::value* out) {
  if (s[0] == '"') {
    size_t i = 0;
    if (!ReadQuoted(s, &i, scratch) || i != s.size()) return false;
    *out = json::string(*scratch);
    return true;
  }
  if (!IsPlainSyntax(s, ctx)) return false;
  if (IsNullWord(s)) {
    *out = nullptr;
  } else {
    *out = json::string(s);
  }
  return true;
}

// Recursive descent over the lines. Maps and lists are gathered on two
// stacks shared by all levels and built once complete, at their exact size:
// growing each container entry by entry leaves garbage behind, and on a
// big CIB every page of it is a page fault in a short-lived crm process.
class Reader {
 public:
  explicit Reader(std::string_view text) : lines_(text) {}

  bool Document(json::value* out) {
    if (!lines_.More()) {
      *out = nullptr;
      return !lines_.refused();
    }
    return Node(-1, 0, out) && !lines_.More() && !lines_.refused();
  }

 private:
  bool More() const { return lines_.More(); }
  int Indent() const { return lines_.Current().indent; }
  std::string_view Text() const { return lines_.Current().text; }

  // The node starting on the current line, indented deeper than parent.
  bool Node(int parent, int depth, json::value* out) {
    if (depth > kMaxYamlDepth || Indent() <= parent) return false;
    std::string_view text = Text();
    if (IsSequenceEntry(text)) return Sequence(Indent(), depth, out);
    if (FindKeyColon(text, &scratch_) != std::string_view::npos) {
      return Mapping(Indent(), depth, out);
    }
    lines_.Next();
    return Inline(text, depth, out);
  }

  // A value written on the line of its key or list dash: a scalar, {} or
  // [], or a flow list of scalars.
  bool Inline(std::string_view s, int depth, json::value* out) {
    if (depth > kMaxYamlDepth) return false;
    if (s == "{}") {
      *out = json::object();
      return true;
    }
    if (s[0] == '[') return FlowList(s, depth, out);
    return ReadScalar(s, YamlContext::kBlock, &scratch_, out);
  }

  bool FlowList(std::string_view s, int depth, json::value* out) {
    json::array list;
    size_t i = s.find_first_not_of(' ', 1);
    if (i == std::string_view::npos) return false;
    if (s[i] == ']') {
      if (i + 1 != s.size()) return false;
      *out = std::move(list);
      return true;
    }
    if (depth + 1 > kMaxYamlDepth) return false;
    list.reserve(static_cast<size_t>(std::count(s.begin(), s.end(), ',')) + 1);
    for (;;) {
      size_t end = i;
      json::value item;
      if (s[i] == '"') {
        // The item ends at its closing quote, not at a ',' inside it.
        if (!ReadQuoted(s, &end, &scratch_)) return false;
        end = s.find_first_not_of(' ', end);
        if (end == std::string_view::npos) return false;
        item = json::string(scratch_);
      } else {
        end = s.find_first_of(",]", i);
        if (end == std::string_view::npos || end == i) return false;
        size_t last = s.find_last_not_of(' ', end - 1);
        if (!ReadScalar(s.substr(i, last + 1 - i), YamlContext::kFlow,
                        &scratch_, &item)) {
          return false;
        }
      }
      list.push_back(std::move(item));
      if (s[end] == ']') {
        if (end + 1 != s.size()) return false;
        *out = std::move(list);
        return true;
      }
      if (s[end] != ',') return false;
      i = s.find_first_not_of(' ', end + 1);
      if (i == std::string_view::npos || s[i] == ']' || s[i] == ',') {
        return false;
      }
    }
  }

  // The value of a key or dash with nothing after it: a block node on the
  // following, deeper lines, or null.
  bool ValueBelow(int indent, int depth, json::value* out) {
    if (More() && Indent() > indent) return Node(indent, depth, out);
    if (depth > kMaxYamlDepth) return false;
    *out = nullptr;
    return true;
  }

  // Reads "key:" into a new entry of keys_; false unless it is a key we
  // write (quoted or plain; not null, which yaml-cpp refuses as a key, nor
  // "<<", a merge key to some readers).
  bool Key(std::string_view raw) {
    std::string& key = keys_.emplace_back();
    if (raw[0] == '"') {
      size_t i = 0;
      return ReadQuoted(raw, &i, &key) && i == raw.size();
    }
    if (!IsPlainSyntax(raw, YamlContext::kBlock) || IsNullWord(raw) ||
        raw == "<<") {
      return false;
    }
    key.assign(raw);
    return true;
  }

  bool Mapping(int indent, int depth, json::value* out) {
    const size_t first_key = keys_.size();
    const size_t first_value = values_.size();
    while (More() && Indent() == indent) {
      std::string_view text = Text();
      size_t colon = FindKeyColon(text, &scratch_);
      if (colon == std::string_view::npos || colon == 0 ||
          colon > kMaxImplicitKeyLength || !Key(text.substr(0, colon))) {
        return false;
      }
      lines_.Next();
      size_t value_at = text.find_first_not_of(' ', colon + 1);
      json::value read;
      if (value_at == std::string_view::npos) {
        if (!ValueBelow(indent, depth + 1, &read)) return false;
      } else if (!Inline(text.substr(value_at), depth + 1, &read)) {
        return false;
      }
      values_.push_back(std::move(read));
    }
    // A deeper line here continues a plain scalar or is an error.
    if (More() && Indent() > indent) return false;
    json::object map;
    map.reserve(keys_.size() - first_key);
    for (size_t k = first_key, v = first_value; k < keys_.size(); ++k, ++v) {
      // A duplicate key is an error; yaml-cpp words it.
      if (!map.emplace(keys_[k], std::move(values_[v])).second) return false;
    }
    keys_.resize(first_key);
    values_.resize(first_value);
    *out = std::move(map);
    return true;
  }

  bool Sequence(int indent, int depth, json::value* out) {
    const size_t first = values_.size();
    while (More() && Indent() == indent && IsSequenceEntry(Text())) {
      std::string_view text = Text();
      size_t item_at = text.find_first_not_of(' ', 1);
      json::value read;
      if (item_at == std::string_view::npos) {
        lines_.Next();
        if (!ValueBelow(indent, depth + 1, &read)) return false;
      } else {
        // The item starts on this line, at its own column: a map or list
        // there continues on the lines indented to that column.
        lines_.Narrow(indent + static_cast<int>(item_at), text.substr(item_at));
        if (!Node(indent, depth + 1, &read)) return false;
      }
      values_.push_back(std::move(read));
    }
    if (More() && Indent() >= indent) return false;
    json::array list;
    list.reserve(values_.size() - first);
    for (size_t v = first; v < values_.size(); ++v) {
      list.push_back(std::move(values_[v]));
    }
    values_.resize(first);
    *out = std::move(list);
    return true;
  }

  Lines lines_;
  std::string scratch_;
  // Keys and values of the maps and lists being read, innermost last.
  std::vector<std::string> keys_;
  std::vector<json::value> values_;
};

}  // namespace

int DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  int n = 0;
  char32_t v = 0;
  char32_t min = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, v = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, v = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < static_cast<size_t>(n)) return 0;
  for (int k = 1; k < n; ++k) {
    const unsigned char t = static_cast<unsigned char>(s[i + k]);
    if ((t & 0xC0) != 0x80) return 0;
    v = (v << 6) | (t & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

// NEL (U+0085), U+2028 and U+2029 are line breaks to YAML 1.1 readers;
// U+FEFF is a byte order mark; the C1 block and U+FFFE/U+FFFF are not
// printable. No-break space is printable, but not a blank to any reader.
bool IsPrintableCodePoint(char32_t cp) {
  if (cp < 0x80) return cp >= 0x20 && cp != 0x7F;
  return cp >= 0xA0 && cp != 0x2028 && cp != 0x2029 && cp != 0xFEFF &&
         cp != 0xFFFE && cp != 0xFFFF;
}

bool IsPlainSyntax(std::string_view s, YamlContext ctx) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  if (StartsWith(s, "---") || StartsWith(s, "...")) return false;
  // "-x" is plain everywhere ("-INFINITY" stays readable); "- x" is a
  // list entry.
  if (IsIndicator(s[0]) && !(s[0] == '-' && s.size() > 1 && s[1] != ' ')) {
    return false;
  }
  const bool flow = ctx == YamlContext::kFlow;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      char32_t cp = 0;
      int n = DecodeUtf8(s, i, &cp);
      if (n == 0 || !IsPrintableCodePoint(cp)) return false;
      i += n;
      continue;
    }
    if (c < 0x20 || c == 0x7F) return false;
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
    if (c == '#' && s[i - 1] == ' ') return false;  // i > 0: '#' can't lead
    if (flow && IsFlowIndicator(c)) return false;
    ++i;
  }
  return true;
}

std::optional<boost::json::value> FastParseYaml(std::string_view text) {
  if (!AllBytesPrintable(text)) return std::nullopt;
  // Allocation can throw (memory, boost::json's size limits); yaml-cpp,
  // behind its own catch, then gets to say what is wrong.
  try {
    Reader reader(text);
    json::value tree;
    if (!reader.Document(&tree)) return std::nullopt;
    return tree;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace paceline::cib
