// The CIB subset of XML 1.0, one pass, no recursion: an explicit stack of
// open elements (indices into the element array, which may grow while the
// tree is built). Each start tag is checked once, character by character
// through lookup tables; attributes are not stored (see xml_reader.h), so
// the parse allocates only the element array, the small arena of decoded
// values and the scratch list of one tag's attribute names (to refuse
// duplicates). A start tag whose names begin like those of the last tag of
// the same name (a status section's thousands of lrm_rsc_op) has them
// checked by comparison with those.
#include "cib/xml_reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace paceline::cib::xml {

namespace {

enum CharClass : uint8_t {
  kNameStart = 1,  // also a name character
  kNameChar = 2,
  kSpace = 4,
};

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                 c == ':' || c >= 0x80;
    bool name = start || (c >= '0' && c <= '9') || c == '-' || c == '.';
    t[size_t(c)] = uint8_t((start ? kNameStart : 0) | (name ? kNameChar : 0));
  }
  for (char c : {' ', '\t', '\n', '\r'}) t[uint8_t(c)] |= kSpace;
  return t;
}
constexpr std::array<uint8_t, 256> kClass = MakeClasses();

bool Is(char c, CharClass k) { return kClass[uint8_t(c)] & k; }
bool IsSpace(char c) { return Is(c, kSpace); }

// Where the fast scan of an attribute value from text[i] stops: at the
// quote that closes it, or at a byte that needs decoding ('&', a tab or
// newline, any control character) or is refused ('<'); text.size() if
// none. Values are most of a CIB's bytes: SSE2 looks at 16 at a time.
[[gnu::always_inline]] inline size_t ScanValue(std::string_view text, size_t i,
                                               char quote) {
#if defined(__SSE2__)
  const __m128i q = _mm_set1_epi8(quote);
  const __m128i amp = _mm_set1_epi8('&');
  const __m128i lt = _mm_set1_epi8('<');
  const __m128i control = _mm_set1_epi8(0x1f);
  for (; i + 16 <= text.size(); i += 16) {
    __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, amp)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, lt),
                                  _mm_cmpeq_epi8(_mm_min_epu8(v, control), v)));
    if (int mask = _mm_movemask_epi8(hit)) {
      return i + size_t(std::countr_zero(unsigned(mask)));
    }
  }
#endif
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == quote || c == '&' || c == '<' || uint8_t(c) < 0x20) break;
  }
  return i;
}

// The end of the name characters from text[i] on (text.size() if they
// run to the end): [A-Za-z0-9_:.-] and every byte of a multi-byte UTF-8
// character. The caller checks the first one is a name start.
[[gnu::always_inline]] inline size_t NameEnd(std::string_view text, size_t i) {
#if defined(__SSE2__)
  auto in = [](__m128i v, char lo, char hi) {  // lo <= v <= hi (ASCII)
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(char(lo - 1))),
                         _mm_cmpgt_epi8(_mm_set1_epi8(char(hi + 1)), v));
  };
  for (; i + 16 <= text.size(); i += 16) {
    __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    __m128i letter = in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
    // '-', '.', digits and ':' are 0x2D..0x3A, but for '/' (0x2F).
    __m128i punct = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')),
                                     in(v, '-', ':'));
    __m128i name = _mm_or_si128(
        _mm_or_si128(letter, punct),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                     _mm_cmplt_epi8(v, _mm_setzero_si128())));  // >= 0x80
    if (int stop = ~_mm_movemask_epi8(name) & 0xffff) {
      return i + size_t(std::countr_zero(unsigned(stop)));
    }
  }
#endif
  while (i < text.size() && Is(text[i], kNameChar)) ++i;
  return i;
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

// ---- Reading a checked tree.

std::string_view detail::Storage::Value(uint32_t raw, uint32_t size) const {
  if (!decoded.empty()) {
    auto it = std::lower_bound(
        decoded.begin(), decoded.end(), raw,
        [](const Decoded& d, uint32_t at) { return d.raw < at; });
    if (it != decoded.end() && it->raw == raw) {
      return std::string_view(arena).substr(it->at, it->size);
    }
  }
  return text.substr(raw, size);
}

// The tag was checked by the parse: blanks, a name, blanks, '=', blanks, a
// quoted value without its quote.
void AttributeRange::Iterator::Read() {
  std::string_view text = storage_->text;
  size_t i = pos_;
  while (IsSpace(text[i])) ++i;
  size_t name = i;
  i = NameEnd(text, i);
  current_.name = std::string_view(text.data() + name, i - name);
  while (text[i] != '"' && text[i] != '\'') ++i;
  char quote = text[i++];
  // A value the parse had to decode stops the scan before its quote; only
  // such a value is looked up among the decoded ones.
  size_t close = ScanValue(text, i, quote);
  if (text[close] == quote) {
    current_.value = std::string_view(text.data() + i, close - i);
  } else {
    close = text.find(quote, close);
    current_.value = storage_->Value(uint32_t(i), uint32_t(close - i));
  }
  pos_ = uint32_t(close + 1);
}

Attribute Element::attribute(size_t i) const {
  auto it = attributes().begin();
  for (; i > 0; --i) ++it;
  return *it;
}

// Looking for one name, the values of the other attributes need not be
// read: each is skipped to its closing quote (the parse proved the tag well
// formed, so the first quote after a name opens its value).
std::optional<std::string_view> Element::Attr(std::string_view name) const {
  std::string_view text = storage_->text;
  size_t i = tag_ + tag_size_;
  for (size_t left = n_attrs_; left > 0; --left) {
    while (IsSpace(text[i])) ++i;
    bool match = text.size() - i > name.size() &&
                 std::memcmp(text.data() + i, name.data(), name.size()) == 0 &&
                 !Is(text[i + name.size()], kNameChar);
    if (match) i += name.size();
    while (text[i] != '"' && text[i] != '\'') ++i;
    char quote = text[i++];
    size_t close = text.find(quote, i);
    if (match) {
      if (storage_->decoded.empty() ||
          ScanValue(text, i, quote) == close) {  // nothing was decoded
        return text.substr(i, close - i);
      }
      return storage_->Value(uint32_t(i), uint32_t(close - i));
    }
    i = close + 1;
  }
  return std::nullopt;
}

const Element* Element::Child(std::string_view tag) const {
  for (const Element* c = At(first_child_); c; c = c->Next()) {
    if (c->tag() == tag) return c;
  }
  return nullptr;
}

// ---- The parse.

class Parser {
 public:
  Parser(std::string_view text, Document& doc, Observer* observer)
      : text_(text), store_(*doc.storage_), observer_(observer) {
    store_.text = text;
  }

  Status Run() {
    if (text_.size() > UINT32_MAX) {
      return Status::Syntax("the document is larger than 4 GiB");
    }
    // Room for any CIB (its elements take 100 to 250 bytes of text each,
    // none less than 40), so the array is never copied while it grows;
    // what is not used is never touched, so it costs no memory.
    store_.elements.reserve(text_.size() / 40 + 16);
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
    uint32_t element;
    uint32_t last_child;  // 0: none yet
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
    return pos_ + s.size() <= text_.size() &&
           std::memcmp(text_.data() + pos_, s.data(), s.size()) == 0;
  }
  [[gnu::always_inline]] bool SkipSpaces() {
    if (pos_ >= text_.size() || !IsSpace(text_[pos_])) return false;
    do {
      ++pos_;
    } while (pos_ < text_.size() && IsSpace(text_[pos_]));
    return true;
  }
  [[gnu::always_inline]] std::string_view Name() {
    size_t start = pos_;
    if (pos_ < text_.size() && Is(text_[pos_], kNameStart)) {
      pos_ = NameEnd(text_, pos_ + 1);
    }
    return std::string_view(text_.data() + start, pos_ - start);
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

  // A value that needs decoding, text_[begin, end) (the closing quote at
  // end), into the arena (references; literal tab, newline, CR, CRLF -> one
  // space, as XML's attribute-value normalization says).
  Status Decode(size_t begin, size_t end) {
    std::string& out = store_.arena;
    size_t at = out.size();
    for (size_t i = begin; i < end;) {
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
    store_.decoded.push_back(
        {uint32_t(begin), uint32_t(at), uint32_t(out.size() - at)});
    return Status::Ok();
  }

  // The common case, inline: the quoted value at pos_ needs no decoding.
  // Its closing quote, or npos (anything else, errors included).
  [[gnu::always_inline]] size_t PlainValue() const {
    char quote = pos_ < text_.size() ? text_[pos_] : '\0';
    if (quote != '"' && quote != '\'') return std::string_view::npos;
    size_t i = ScanValue(text_, pos_ + 1, quote);
    return i < text_.size() && text_[i] == quote ? i : std::string_view::npos;
  }

  // Any other quoted value at pos_ (the opening quote) of attribute `name`:
  // where its closing quote is.
  Status Quoted(std::string_view name, size_t* close) const {
    char quote = pos_ < text_.size() ? text_[pos_] : '\0';
    if (quote != '"' && quote != '\'') {
      return Error(pos_, "expected a quoted value for " + std::string(name));
    }
    *close = text_.find(quote, pos_ + 1);
    if (*close == std::string_view::npos) {
      return Error(pos_,
                   "the value of " + std::string(name) + " is not terminated");
    }
    return Status::Ok();
  }

  // A name already read in this tag: a cheap filter (one bit of 64 per
  // name), then the names themselves.
  [[gnu::always_inline]] bool Duplicate(std::string_view name) {
    uint64_t bit = uint64_t(1) << ((uint8_t(name.front()) * 7 +
                                    uint8_t(name.back()) + name.size()) &
                                   63);
    bool maybe = (seen_ & bit) != 0;
    seen_ |= bit;
    if (maybe) {
      size_t n = std::min(n_names_, few_data_.size());
      for (size_t i = 0; i < n; ++i) {
        if (std::string_view(few_data_[i], few_size_[i]) == name) return true;
      }
      for (std::string_view other : more_names_) {
        if (other == name) return true;
      }
    }
    if (n_names_ < few_data_.size()) {
      // Kept as two words: a string_view copied whole was read back with one
      // 16-byte load from the two 8-byte stores that had spilled it, which
      // the CPU cannot forward (a stall on every attribute of the CIB).
      few_data_[n_names_] = name.data();
      few_size_[n_names_] = name.size();
      few_bit_[n_names_] = bit;
    } else {
      more_names_.push_back(name);
    }
    ++n_names_;
    return false;
  }

  // Whether text_ at `at` holds the n bytes at `name`.
  [[gnu::always_inline]] bool NameAt(size_t at, const char* name,
                                     size_t n) const {
#if defined(__SSE2__)
    if (n <= 16 && at + 16 <= text_.size() &&
        name + 16 <= text_.data() + text_.size()) {
      __m128i a =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(text_.data() + at));
      __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(name));
      unsigned same = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)));
      unsigned want = (1u << n) - 1;
      return (same & want) == want;
    }
#endif
    return std::memcmp(text_.data() + at, name, n) == 0;
  }

  // The attribute names of a recent tag, in order (layouts_).
  struct Layout {
    std::string_view tag;
    size_t n = 0;
    std::array<const char*, 32> data;
    std::array<size_t, 32> size;
    std::array<uint64_t, 32> bit;
  };
  void Remember(Layout* like, std::string_view tag) {
    if (!like) {  // the oldest goes
      like = &layouts_[next_layout_];
      next_layout_ = (next_layout_ + 1) % layouts_.size();
      like->tag = tag;
    }
    like->n = std::min(n_names_, few_data_.size());
    for (size_t i = 0; i < like->n; ++i) {
      like->data[i] = few_data_[i];
      like->size[i] = few_size_[i];
      like->bit[i] = few_bit_[i];
    }
  }

  Status Attributes(Element& e, uint32_t index, size_t tag_at) {
    n_names_ = 0;
    more_names_.clear();
    seen_ = 0;
    uint64_t observed = observer_ ? observer_->Wants(e.tag()) : 0;
    // A tag usually has the names the last tag of its name had, in the
    // same order (a status section is thousands of lrm_rsc_op): while it
    // does, each name is checked against that one's in one compare, and
    // needs no name scan and no duplicate search (those were distinct).
    Layout* like = nullptr;
    for (Layout& l : layouts_) {
      if (l.tag == e.tag()) like = &l;
    }
    size_t same = like ? like->n : 0;
    for (;;) {
      if (n_names_ < same) {
        size_t k = n_names_, n = like->size[k], at = pos_ + 1;
        if (at + n + 2 < text_.size() && text_[pos_] == ' ' &&
            text_[at + n] == '=' && text_[at + n + 1] == '"' &&
            NameAt(at, like->data[k], n)) {
          size_t close = ScanValue(text_, at + n + 2, '"');
          if (close < text_.size() && text_[close] == '"') {
            few_data_[k] = text_.data() + at;
            few_size_[k] = n;
            few_bit_[k] = like->bit[k];
            seen_ |= like->bit[k];
            ++n_names_;
            if (observed & Observer::LengthBit(n)) {
              observer_->OnAttribute(
                  index, {std::string_view(text_.data() + at, n),
                          std::string_view(text_.data() + at + n + 2,
                                           close - at - n - 2)});
            }
            pos_ = close + 1;
            ++e.n_attrs_;
            continue;
          }
        }
        same = 0;  // no longer alike: the paths below from here on
      }
      // The usual shape, ` name="value"` with a value that needs no
      // decoding, in one go; anything else takes the general path below
      // (which also reports every error).
      if (pos_ + 4 < text_.size() && text_[pos_] == ' ' &&
          Is(text_[pos_ + 1], kNameStart)) {
        size_t name_end = NameEnd(text_, pos_ + 2);
        if (name_end + 2 < text_.size() && text_[name_end] == '=' &&
            text_[name_end + 1] == '"') {
          size_t close = ScanValue(text_, name_end + 2, '"');
          if (close < text_.size() && text_[close] == '"' &&
              e.n_attrs_ < UINT16_MAX) {
            std::string_view name(text_.data() + pos_ + 1, name_end - pos_ - 1);
            if (Duplicate(name)) {
              return Error(pos_ + 1, "duplicate attribute " +
                                         std::string(name) + " in <" +
                                         std::string(e.tag()) + ">");
            }
            if (observed & Observer::LengthBit(name.size())) {
              observer_->OnAttribute(
                  index, {name, std::string_view(text_.data() + name_end + 2,
                                                 close - name_end - 2)});
            }
            pos_ = close + 1;
            ++e.n_attrs_;
            continue;
          }
        }
      }
      bool space = SkipSpaces();
      if (pos_ >= text_.size()) {
        return Error(tag_at,
                     "<" + std::string(e.tag()) + "> is not terminated");
      }
      char c = text_[pos_];
      if (c == '>' || c == '/') {
        // Unless every name was the one before (the layout holds them).
        if (!like || same != like->n || n_names_ != same) {
          Remember(like, e.tag());
        }
        return Status::Ok();
      }
      if (!space) {
        return Error(pos_, "expected a blank, '>' or '/>' in <" +
                               std::string(e.tag()) + ">");
      }
      size_t name_at = pos_;
      std::string_view name = Name();
      if (name.empty()) {
        return Error(pos_, "expected an attribute name in <" +
                               std::string(e.tag()) + ">");
      }
      SkipSpaces();
      if (pos_ >= text_.size() || text_[pos_] != '=') {
        return Error(pos_, "expected '=' after " + std::string(name));
      }
      ++pos_;
      SkipSpaces();
      size_t close = PlainValue();
      bool plain = close != std::string_view::npos;
      if (!plain) PL_RETURN_IF_ERROR(Quoted(name, &close));
      if (Duplicate(name)) {
        return Error(name_at, "duplicate attribute " + std::string(name) +
                                  " in <" + std::string(e.tag()) + ">");
      }
      if (!plain) PL_RETURN_IF_ERROR(Decode(pos_ + 1, close));
      if (observed & Observer::LengthBit(name.size())) {
        std::string_view value =
            plain ? std::string_view(text_.data() + pos_ + 1, close - pos_ - 1)
                  : std::string_view(store_.arena)
                        .substr(store_.decoded.back().at,
                                store_.decoded.back().size);
        observer_->OnAttribute(index, {name, value});
      }
      pos_ = close + 1;
      if (e.n_attrs_ == UINT16_MAX) {
        return Error(name_at, "more than 65535 attributes in <" +
                                  std::string(e.tag()) + ">");
      }
      ++e.n_attrs_;
    }
  }

  // A start tag at pos_ ('<'), linked under the innermost open element;
  // pushed when it has content.
  Status StartTag(std::vector<Open>& open) {
    size_t at = pos_++;
    std::string_view tag = Name();
    if (tag.empty()) return Error(pos_, "expected an element name after '<'");
    if (tag.size() > UINT16_MAX) {
      return Error(at + 1, "element name longer than 65535 bytes");
    }
    auto index = uint32_t(store_.elements.size());
    Element& e = store_.elements.emplace_back();
    e.storage_ = &store_;
    e.tag_ = uint32_t(at + 1);
    e.tag_size_ = uint16_t(tag.size());
    if (!open.empty()) {
      Open& parent = open.back();
      if (parent.last_child) {
        store_.elements[parent.last_child].next_ = index;
      } else {
        store_.elements[parent.element].first_child_ = index;
      }
      parent.last_child = index;
    }
    PL_RETURN_IF_ERROR(Attributes(e, index, at));
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
    open.push_back({index, 0, at});
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
    std::string_view expected = store_.elements[open.back().element].tag();
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
        return Error(o.at, "<" + std::string(store_.elements[o.element].tag()) +
                               "> is never closed");
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
  detail::Storage& store_;
  Observer* observer_;
  size_t pos_ = 0;
  // The names of the current tag: the first ones in place, any others in
  // the vector.
  std::array<const char*, 32> few_data_;
  std::array<size_t, 32> few_size_;
  std::array<uint64_t, 32> few_bit_;  // each one's bit in seen_
  std::array<Layout, 4> layouts_;     // of the last tags seen
  size_t next_layout_ = 0;
  size_t n_names_ = 0;
  std::vector<std::string_view> more_names_;
  uint64_t seen_ = 0;  // Duplicate()'s filter
};

Result<Document> Parse(std::string_view text, Observer* observer) {
  Document doc;
  PL_RETURN_IF_ERROR(Parser(text, doc, observer).Run());
  return doc;
}

}  // namespace paceline::cib::xml
