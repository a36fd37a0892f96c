#include "common/flat_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace paceline {
namespace {

TEST(FlatIndex, FindsWhatWasInsertedAndNothingElse) {
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back("rsc" + std::to_string(i));
  FlatIndex index;
  index.Reset(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto [at, added] = index.Insert(ids[i], uint32_t(i));
    EXPECT_TRUE(added);
    EXPECT_EQ(at, i);
  }
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(index.Find(ids[i]), i);
  EXPECT_EQ(index.Find("rsc1000"), FlatIndex::kNone);
  EXPECT_EQ(index.Find("rsc"), FlatIndex::kNone);
  EXPECT_EQ(index.Find(""), FlatIndex::kNone);
}

TEST(FlatIndex, TheFirstPositionOfAKeyStays) {
  FlatIndex index;
  index.Reset(2);
  EXPECT_EQ(index.Insert("drbd", 0), std::make_pair(0u, true));
  EXPECT_EQ(index.Insert("drbd", 7), std::make_pair(0u, false));
  EXPECT_EQ(index.Find("drbd"), 0u);
}

TEST(FlatIndex, GrowsPastWhatItWasSizedFor) {
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i)
    ids.push_back(std::string(size_t(i % 7), 'x') + std::to_string(i));
  FlatIndex index;  // never Reset: grows from nothing
  EXPECT_EQ(index.Find("x"), FlatIndex::kNone);
  for (size_t i = 0; i < ids.size(); ++i) index.Insert(ids[i], uint32_t(i));
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(index.Find(ids[i]), i);
  index.Reset(1);
  EXPECT_EQ(index.Find(ids[0]), FlatIndex::kNone);
}

TEST(FlatIndex, EmptyKeyIsAKeyLikeAnyOther) {
  FlatIndex index;
  index.Reset(1);
  EXPECT_EQ(index.Find(""), FlatIndex::kNone);
  index.Insert("", 3);
  EXPECT_EQ(index.Find(""), 3u);
  EXPECT_EQ(index.Find("a"), FlatIndex::kNone);
}

}  // namespace
}  // namespace paceline
