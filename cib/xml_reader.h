// A small XML reader for Pacemaker CIBs: elements and attributes, in
// document order, with the five predefined entities and character
// references decoded. Comments, processing instructions, CDATA and text
// content are checked for well-formedness and skipped (a CIB keeps its data
// in attributes). A DOCTYPE is refused: no DTD, no user-defined entities.
//
// The tree is compact because a CIB's status section is large (a 32-node,
// 1,000-resource cluster writes 19 MB, 35,000 elements, 650,000
// attributes): an element is 32 bytes in one flat array, linked by index;
// attributes are not stored at all. The parse checks every start tag once;
// reading an element's attributes scans its start tag again, which is
// cheap because the parse proved it well formed. Names and values are views
// into the text; only values with references or literal tabs/newlines are
// copied (with the XML spec's attribute-value normalization) into one
// arena. Code that reads many attributes of one element should iterate
// them once (`for (Attribute a : e.attributes())`) rather than call Attr()
// for each name.
//
// Errors are kSyntax "line L, column C: what" (column in bytes, 1-based).
// Pure; no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace paceline::cib::xml {

// Elements nested deeper than this are refused (no CIB comes close).
inline constexpr int kMaxDepth = 256;

struct Attribute {
  std::string_view name;
  std::string_view value;  // references decoded
};

class Element;

namespace detail {
// A value the parse had to decode: where it is in the text, where its
// decoded form is in the arena.
struct Decoded {
  uint32_t raw;  // offset of the raw value in the text
  uint32_t at;   // offset in the arena
  uint32_t size;
};
struct Storage {
  std::string_view text;
  std::vector<Element> elements;  // [0] is the root
  std::string arena;
  std::vector<Decoded> decoded;  // by raw, ascending
  // The value whose raw text is text[raw, raw + size).
  std::string_view Value(uint32_t raw, uint32_t size) const;
};
}  // namespace detail

// The attributes of one element, in document order; iterating re-reads
// the start tag.
class AttributeRange {
 public:
  class Iterator {
   public:
    Iterator(const detail::Storage* s, uint32_t pos, uint32_t left)
        : storage_(s), pos_(pos), left_(left) {
      if (left_ > 0) Read();
    }
    const Attribute& operator*() const { return current_; }
    const Attribute* operator->() const { return &current_; }
    Iterator& operator++() {
      if (--left_ > 0) Read();
      return *this;
    }
    bool operator==(const Iterator& o) const { return left_ == o.left_; }

   private:
    void Read();
    const detail::Storage* storage_;
    uint32_t pos_;   // where the next attribute starts (blanks first)
    uint32_t left_;  // attributes not yet read, the current one included
    Attribute current_;
  };
  AttributeRange(const detail::Storage* s, uint32_t pos, uint32_t n)
      : storage_(s), pos_(pos), n_(n) {}
  Iterator begin() const { return Iterator(storage_, pos_, n_); }
  Iterator end() const { return Iterator(storage_, pos_, 0); }

 private:
  const detail::Storage* storage_;
  uint32_t pos_;
  uint32_t n_;
};

class Element {
 public:
  std::string_view tag() const {
    return storage_->text.substr(tag_, tag_size_);
  }
  size_t attribute_count() const { return n_attrs_; }
  AttributeRange attributes() const {
    return AttributeRange(storage_, tag_ + tag_size_, n_attrs_);
  }
  // The i-th attribute (linear in i: prefer attributes()).
  Attribute attribute(size_t i) const;
  // The value of attribute `name`, if present.
  std::optional<std::string_view> Attr(std::string_view name) const;
  // The first child element named `tag`, or nullptr.
  const Element* Child(std::string_view tag) const;
  // No attributes and no child elements.
  bool empty() const { return n_attrs_ == 0 && first_child_ == 0; }
  // Its number in document order (the root is 0), as Observer sees it.
  uint32_t index() const { return uint32_t(this - storage_->elements.data()); }

  // Iterating an element gives its child elements as {tag, element} pairs,
  // so `for (const auto& [tag, child] : e)` works.
  struct Entry {
    std::string_view first;
    const Element& second;
  };
  class Iterator {
   public:
    explicit Iterator(const Element* e) : e_(e) {}
    Entry operator*() const { return {e_->tag(), *e_}; }
    Iterator& operator++() {
      e_ = e_->Next();
      return *this;
    }
    bool operator==(const Iterator&) const = default;

   private:
    const Element* e_;
  };
  Iterator begin() const { return Iterator(At(first_child_)); }
  Iterator end() const { return Iterator(nullptr); }

 private:
  friend class Parser;
  // Index 0 is the root, never a child: it marks "none".
  const Element* At(uint32_t i) const {
    return i ? &storage_->elements[i] : nullptr;
  }
  const Element* Next() const { return At(next_); }

  const detail::Storage* storage_ = nullptr;
  uint32_t tag_ = 0;  // offset of the name in the text
  uint32_t first_child_ = 0;
  uint32_t next_ = 0;  // next sibling
  uint16_t tag_size_ = 0;
  uint16_t n_attrs_ = 0;
};

class Document {
 public:
  const Element& root() const { return storage_->elements.front(); }

 private:
  friend class Parser;
  std::unique_ptr<detail::Storage> storage_ =
      std::make_unique<detail::Storage>();
};

// Optional: sees the attributes of the elements it chooses while the parse
// reads them, when their bytes are still in the CPU's cache. An importer
// that needs most attributes of thousands of elements (a status section's
// operation history) gets them here for a fraction of what iterating them
// again after the parse costs.
class Observer {
 public:
  virtual ~Observer() = default;
  // Which attributes of elements named `tag` to report, by the length of
  // their names: bit n for names of n bytes (bit 63 for 63 or more); 0
  // for none. The cheap filter spares a call for most unwanted names.
  virtual uint64_t Wants(std::string_view tag) const = 0;
  static constexpr uint64_t kAll = ~uint64_t(0);
  static constexpr uint64_t LengthBit(size_t n) {
    return uint64_t(1) << (n < 63 ? n : 63);
  }
  // One attribute of element number `element` (Element::index()), in
  // document order. `a.name` stays valid as long as the text; a decoded
  // `a.value` only during the call (copy what you keep).
  virtual void OnAttribute(uint32_t element, const Attribute& a) = 0;
};

// Parses a whole document (one root element; at most 4 GiB; names of at
// most 65,535 bytes and at most 65,535 attributes per element). `text` must
// outlive the Document: names and most values point into it.
Result<Document> Parse(std::string_view text, Observer* observer = nullptr);

}  // namespace paceline::cib::xml
