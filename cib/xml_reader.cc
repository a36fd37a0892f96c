// The CIB subset of XML 1.0, one pass, no recursion: an explicit stack of
// open elements. Capacity for every element is reserved up front from the
// number of '<' in the text (each element starts with one), so the tree's
// pointers never move while it is built; attributes are indexed, and
// reserved the same way from the '='s.
#include "cib/xml_reader.h"

#include <algorithm>
#include <cstring>

namespace paceline::cib::xml {

std::optional<std::string_view> Element::Attr(std::string_view name) const {
  for (uint32_t i = 0; i < n_attrs_; ++i) {
    Attribute a = storage_->Get(first_attr_ + i);
    if (a.name == name) return a.value;
  }
  return std::nullopt;
}

const Element* Element::Child(std::string_view tag) const {
  for (const Element* c = first_child_; c; c = c->next_) {
    if (c->tag_ == tag) return c;
  }
  return nullptr;
}

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsNameStart(char ch) {
  auto c = static_cast<unsigned char>(ch);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == ':' || c >= 0x80;
}
bool IsNameChar(char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

void AppendUtf8(unsigned cp, std::string& out) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// XML 1.0's Char production, for character references.
bool IsXmlChar(unsigned cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

}  // namespace

class Parser {
 public:
  Parser(std::string_view text, Document& doc)
      : text_(text), doc_(doc), store_(*doc.storage_) {
    store_.text = text;
  }

  Status Run() {
    if (text_.size() > UINT32_MAX) {
      return Status::Syntax("the document is larger than 4 GiB");
    }
    doc_.elements_.reserve(size_t(std::count(text_.begin(), text_.end(), '<')));
    store_.attributes.reserve(
        size_t(std::count(text_.begin(), text_.end(), '=')));
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    PL_RETURN_IF_ERROR(Misc());
    if (pos_ >= text_.size()) return Error(pos_, "no root element");
    PL_RETURN_IF_ERROR(Elements());
    PL_RETURN_IF_ERROR(Misc());
    if (pos_ < text_.size()) {
      return Error(pos_, "content after the root element");
    }
    return Status::Ok();
  }

 private:
  struct Open {
    Element* element;
    Element* last_child;
    size_t at;
  };

  Status Error(size_t at, const std::string& what) const {
    at = std::min(at, text_.size());
    auto before = text_.substr(0, at);
    size_t line = 1 + size_t(std::count(before.begin(), before.end(), '\n'));
    size_t nl = before.rfind('\n');
    size_t column = at - (nl == std::string_view::npos ? 0 : nl + 1) + 1;
    return Status::Syntax("line " + std::to_string(line) + ", column " +
                          std::to_string(column) + ": " + what);
  }

  bool StartsWith(std::string_view s) const {
    return text_.substr(pos_, s.size()) == s;
  }
  bool SkipSpaces() {
    size_t start = pos_;
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    return pos_ > start;
  }
  std::string_view Name() {
    size_t start = pos_;
    if (pos_ < text_.size() && IsNameStart(text_[pos_])) {
      ++pos_;
      while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  // Skips past `end`, which must follow; else an error naming `what`.
  Status SkipPast(std::string_view end, const char* what) {
    size_t found = text_.find(end, pos_);
    if (found == std::string_view::npos) {
      return Error(pos_, std::string("unterminated ") + what);
    }
    pos_ = found + end.size();
    return Status::Ok();
  }

  // Comments, processing instructions (the XML declaration) and blanks,
  // before and after the root element.
  Status Misc() {
    for (;;) {
      SkipSpaces();
      if (StartsWith("<?")) {
        PL_RETURN_IF_ERROR(SkipPast("?>", "processing instruction"));
      } else if (StartsWith("<!--")) {
        PL_RETURN_IF_ERROR(SkipPast("-->", "comment"));
      } else if (StartsWith("<!")) {
        return Error(pos_, "a DOCTYPE (DTD) is not supported");
      } else if (pos_ < text_.size() && text_[pos_] != '<') {
        return Error(pos_, "text outside the root element");
      } else {
        return Status::Ok();
      }
    }
  }

  // One reference at text_[at] ('&'): its code point(s) appended to `out`
  // (when not null); pos after the ';' in *next.
  Status Reference(size_t at, std::string* out, size_t* next) const {
    size_t semi =
        text_.substr(0, std::min(text_.size(), at + 13)).find(';', at);
    if (semi == std::string_view::npos) {
      return Error(at, "'&' that does not start a reference (write &amp;)");
    }
    std::string_view name = text_.substr(at + 1, semi - at - 1);
    *next = semi + 1;
    static constexpr std::pair<std::string_view, char> kNamed[] = {
        {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (const auto& [entity, c] : kNamed) {
      if (name == entity) {
        if (out) *out += c;
        return Status::Ok();
      }
    }
    if (name.size() < 2 || name[0] != '#') {
      return Error(at, "unknown entity &" + std::string(name) + ";");
    }
    bool hex = name[1] == 'x';
    std::string_view digits = name.substr(hex ? 2 : 1);
    unsigned cp = 0;
    bool ok = !digits.empty();
    for (char c : digits) {
      int d = c >= '0' && c <= '9'          ? c - '0'
              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                            : -1;
      if (d < 0 || cp > 0x10FFFF) {
        ok = false;
        break;
      }
      cp = cp * (hex ? 16 : 10) + unsigned(d);
    }
    if (!ok || !IsXmlChar(cp)) {
      return Error(at, "bad character reference &" + std::string(name) + ";");
    }
    if (out) AppendUtf8(cp, *out);
    return Status::Ok();
  }

  // An attribute value text_[begin, end) into `a`: where it is in the
  // text when it needs no change, else decoded into the arena (references;
  // literal tab, newline, CR, CRLF -> one space, as XML's attribute-value
  // normalization says).
  Status Value(size_t begin, size_t end, detail::PackedAttribute& a) {
    std::string_view raw = text_.substr(begin, end - begin);
    size_t special = raw.find_first_of("&<\t\n\r");
    if (special == std::string_view::npos) {
      a.value = uint32_t(begin);
      a.value_size = uint32_t(raw.size());
      return Status::Ok();
    }
    std::string& out = store_.arena;
    a.decoded = 1;
    a.value = uint32_t(out.size());
    out += raw.substr(0, special);
    for (size_t i = begin + special; i < end;) {
      char c = text_[i];
      if (c == '<') return Error(i, "'<' in an attribute value");
      if (c == '&') {
        PL_RETURN_IF_ERROR(Reference(i, &out, &i));
        if (i > end) return Error(end, "reference runs past the value's end");
        continue;
      }
      if (c == '\r' && i + 1 < end && text_[i + 1] == '\n') ++i;
      out += IsSpace(c) ? ' ' : c;
      ++i;
    }
    if (out.size() > UINT32_MAX) {
      return Error(begin, "too many decoded attribute values");
    }
    a.value_size = uint32_t(out.size() - a.value);
    return Status::Ok();
  }

  Status Attributes(Element& e, size_t tag_at) {
    std::string tag(e.tag_);
    for (;;) {
      bool space = SkipSpaces();
      if (pos_ >= text_.size()) {
        return Error(tag_at, "<" + tag + "> is not terminated");
      }
      char c = text_[pos_];
      if (c == '>' || c == '/') return Status::Ok();
      if (!space)
        return Error(pos_, "expected a blank, '>' or '/>' in <" + tag + ">");
      size_t name_at = pos_;
      std::string_view name = Name();
      if (name.empty()) {
        return Error(pos_, "expected an attribute name in <" + tag + ">");
      }
      SkipSpaces();
      if (pos_ >= text_.size() || text_[pos_] != '=') {
        return Error(pos_, "expected '=' after " + std::string(name));
      }
      ++pos_;
      SkipSpaces();
      char quote = pos_ < text_.size() ? text_[pos_] : '\0';
      if (quote != '"' && quote != '\'') {
        return Error(pos_, "expected a quoted value for " + std::string(name));
      }
      size_t close = text_.find(quote, pos_ + 1);
      if (close == std::string_view::npos) {
        return Error(
            pos_, "the value of " + std::string(name) + " is not terminated");
      }
      if (e.Attr(name)) {
        return Error(name_at, "duplicate attribute " + std::string(name) +
                                  " in <" + tag + ">");
      }
      if (name.size() > UINT16_MAX) {
        return Error(name_at, "attribute name longer than 65535 bytes");
      }
      detail::PackedAttribute a{};
      a.name = uint32_t(name_at);
      a.name_size = uint16_t(name.size());
      PL_RETURN_IF_ERROR(Value(pos_ + 1, close, a));
      pos_ = close + 1;
      store_.attributes.push_back(a);
      ++e.n_attrs_;
    }
  }

  // A start tag at pos_ ('<'), linked under the innermost open element;
  // pushed when it has content.
  Status StartTag(std::vector<Open>& open) {
    size_t at = pos_++;
    std::string_view tag = Name();
    if (tag.empty()) return Error(pos_, "expected an element name after '<'");
    if (doc_.elements_.size() == doc_.elements_.capacity()) {
      return Error(at, "internal error: element count");  // cannot happen
    }
    Element& e = doc_.elements_.emplace_back();
    e.storage_ = &store_;
    e.tag_ = tag;
    e.first_attr_ = uint32_t(store_.attributes.size());
    if (open.empty()) {
      doc_.root_ = &e;
    } else {
      Open& parent = open.back();
      if (parent.last_child) {
        parent.last_child->next_ = &e;
      } else {
        parent.element->first_child_ = &e;
      }
      parent.last_child = &e;
    }
    PL_RETURN_IF_ERROR(Attributes(e, at));
    if (text_[pos_] == '/') {
      if (!StartsWith("/>")) return Error(pos_, "expected '/>'");
      pos_ += 2;
      return Status::Ok();
    }
    ++pos_;  // '>'
    if (open.size() >= size_t(kMaxDepth)) {
      return Error(at,
                   "elements nested deeper than " + std::to_string(kMaxDepth));
    }
    open.push_back({&e, nullptr, at});
    return Status::Ok();
  }

  Status EndTag(std::vector<Open>& open) {
    size_t at = pos_;
    pos_ += 2;
    std::string_view tag = Name();
    SkipSpaces();
    if (pos_ >= text_.size() || text_[pos_] != '>') {
      return Error(pos_, "expected '>' to close </" + std::string(tag) + ">");
    }
    ++pos_;
    std::string_view expected = open.back().element->tag_;
    if (tag != expected) {
      return Error(at, "expected </" + std::string(expected) + ">, found </" +
                           std::string(tag) + ">");
    }
    open.pop_back();
    return Status::Ok();
  }

  // Text between tags: only its references are checked.
  Status Text() {
    size_t lt = text_.find('<', pos_);
    size_t end = lt == std::string_view::npos ? text_.size() : lt;
    std::string_view text = text_.substr(0, end);
    for (size_t amp = text.find('&', pos_); amp != std::string_view::npos;
         amp = text.find('&', amp)) {
      PL_RETURN_IF_ERROR(Reference(amp, nullptr, &amp));
    }
    pos_ = end;
    return Status::Ok();
  }

  Status Elements() {
    std::vector<Open> open;
    PL_RETURN_IF_ERROR(StartTag(open));
    while (!open.empty()) {
      PL_RETURN_IF_ERROR(Text());
      if (pos_ >= text_.size()) {
        const Open& o = open.back();
        return Error(o.at,
                     "<" + std::string(o.element->tag_) + "> is never closed");
      }
      if (StartsWith("</")) {
        PL_RETURN_IF_ERROR(EndTag(open));
      } else if (StartsWith("<!--")) {
        PL_RETURN_IF_ERROR(SkipPast("-->", "comment"));
      } else if (StartsWith("<![CDATA[")) {
        PL_RETURN_IF_ERROR(SkipPast("]]>", "CDATA section"));
      } else if (StartsWith("<?")) {
        PL_RETURN_IF_ERROR(SkipPast("?>", "processing instruction"));
      } else if (StartsWith("<!")) {
        return Error(pos_, "unexpected '<!'");
      } else {
        PL_RETURN_IF_ERROR(StartTag(open));
      }
    }
    return Status::Ok();
  }

  std::string_view text_;
  Document& doc_;
  detail::Storage& store_;
  size_t pos_ = 0;
};

Result<Document> Parse(std::string_view text) {
  Document doc;
  PL_RETURN_IF_ERROR(Parser(text, doc).Run());
  return doc;
}

}  // namespace paceline::cib::xml
