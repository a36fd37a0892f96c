// FlatIndex: string keys to positions in a vector the caller owns, for the
// hot paths that index thousands of ids per node (a 32-node, 1,000-resource
// status has 32,000 entries, indexed once per run and looked up for every
// resource on every node). One array, open addressing, no allocation per
// entry; each slot keeps the key's hash, so a lookup compares bytes only
// when the hash matches. Keys are views: the strings must outlive the index
// and stay where they are.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

namespace paceline {

class FlatIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Empties the index and makes room for `n` keys without growing.
  void Reset(size_t n) {
    size_t size = 16;
    while (size < 2 * n) size *= 2;
    slots_.assign(size, Slot{});
    mask_ = size - 1;
    used_ = 0;
  }
  // The position of `key`, or kNone.
  uint32_t Find(std::string_view key) const {
    if (slots_.empty()) return kNone;
    uint64_t h = Hash(key);
    for (size_t i = h & mask_; slots_[i].position != kNone;
         i = (i + 1) & mask_) {
      if (slots_[i].Is(h, key)) return slots_[i].position;
    }
    return kNone;
  }
  // Adds `key` at `position` (< kNone) unless it is there: the position it
  // has, and whether it was added.
  std::pair<uint32_t, bool> Insert(std::string_view key, uint32_t position) {
    if (2 * (used_ + 1) > slots_.size()) Grow();
    uint64_t h = Hash(key);
    size_t i = h & mask_;
    for (; slots_[i].position != kNone; i = (i + 1) & mask_) {
      if (slots_[i].Is(h, key)) return {slots_[i].position, false};
    }
    slots_[i] = {h, key.data(), uint32_t(key.size()), position};
    ++used_;
    return {position, true};
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    const char* data = nullptr;
    uint32_t size = 0;
    uint32_t position = kNone;  // kNone: empty
    bool Is(uint64_t h, std::string_view key) const {
      return hash == h && size == key.size() &&
             std::memcmp(data, key.data(), size) == 0;
    }
  };
  static uint64_t Hash(std::string_view s) {  // FNV-1a, mixed
    uint64_t h = 14695981039346656037ull;
    for (char c : s) h = (h ^ uint8_t(c)) * 1099511628211ull;
    return h ^ (h >> 29);
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    Reset(old.empty() ? 8 : old.size());
    for (const Slot& s : old) {
      if (s.position == kNone) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].position != kNone) i = (i + 1) & mask_;
      slots_[i] = s;
      ++used_;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t used_ = 0;
};

}  // namespace paceline
