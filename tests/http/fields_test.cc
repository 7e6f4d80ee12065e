#include "keyward/http/fields.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace keyward::http {
namespace {

TEST(FieldsTest, KeepsEachFieldAsItsWireLineInOrder) {
  Fields f;
  f.Add("Content-Type", "application/json");
  f.Add("X-Keyward-Key-Id", "key_0123456789abcdef");
  f.Add("Vary", "");
  EXPECT_EQ(f.wire(),
            "Content-Type: application/json\r\nX-Keyward-Key-Id: "
            "key_0123456789abcdef\r\nVary: \r\n");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[1].first, "X-Keyward-Key-Id");
  EXPECT_EQ(f[1].second, "key_0123456789abcdef");
  EXPECT_EQ(f.back().first, "Vary");
  EXPECT_EQ(f.back().second, "");
  EXPECT_TRUE(f.valid());
  EXPECT_FALSE(f.has_framing());
}

TEST(FieldsTest, SetReplacesTheFirstFieldOfTheNameInPlace) {
  Fields f{{"A", "1"}, {"RateLimit", "r=5"}, {"C", "3"}, {"ratelimit", "second"}};
  f.Set("RATELIMIT", "\"default\";r=4;t=60");  // longer: the later lines move
  f.Set("a", "");                              // shorter
  f.Set("New", "n");
  EXPECT_EQ(f.wire(),
            "A: \r\nRateLimit: \"default\";r=4;t=60\r\nC: 3\r\nratelimit: "
            "second\r\nNew: n\r\n");
  EXPECT_EQ(f.Get("c"), "3");
  EXPECT_EQ(f.Get("ratelimit"), "\"default\";r=4;t=60");
  EXPECT_EQ(f.Get("missing"), std::nullopt);
  std::string seen;
  for (const auto& [name, value] : f)
    seen += std::string(name) + "=" + std::string(value) + ";";
  EXPECT_EQ(seen, "A=;RateLimit=\"default\";r=4;t=60;C=3;ratelimit=second;New=n;");
}

TEST(FieldsTest, AnUnsafeNameOrValueMakesThemInvalidForGood) {
  for (const std::string& value :
       {std::string("a\rb"), std::string("a\nb"), std::string("a\0b", 3)}) {
    Fields f;
    f.Add("X", value);
    EXPECT_FALSE(f.valid()) << value;
    f.Set("X", "fine");  // replacing the value does not make the list trusted again
    EXPECT_FALSE(f.valid());
  }
  for (const std::string& name : std::initializer_list<std::string>{
           "", "Bad Name", "Bad:Name", "Bad\r\nName", "caf\xC3\xA9"}) {
    Fields f;
    f.Add(FieldName(name), "v");
    EXPECT_FALSE(f.valid()) << name;
  }
  Fields set;
  set.Add("X", "ok");
  set.Set("X", "evil\r\nInjected: 1");
  EXPECT_FALSE(set.valid());
  Fields fine;
  fine.Add("X-Tab_And.Symbols!#$%&'*+-^`|~", "tab\there \x80\xFF obs-text");
  EXPECT_TRUE(fine.valid());
}

// Values are checked eight bytes at a time: every unsafe byte at every place of a
// value longer than a word is caught, and no other byte is refused.
TEST(FieldsTest, EveryByteAtEveryPlaceOfAValueIsChecked) {
  // Every length up to three words and a bit: values are checked a word at a time,
  // the last word overlapping the one before.
  for (std::size_t size = 1; size <= 25; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string value(size, 'v');
        value[at] = static_cast<char>(b);
        Fields f;
        f.Add("X", value);
        const bool unsafe = b == '\r' || b == '\n' || b == 0;
        EXPECT_EQ(f.valid(), !unsafe) << "byte " << b << " at " << at << " of " << size;
      }
    }
  }
}

TEST(FieldsTest, NotesFieldsTheTransportFrames) {
  for (const char* name : {"Content-Length", "transfer-encoding", "CONNECTION"}) {
    Fields f;
    f.Add("Content-Type", "text/plain");
    EXPECT_FALSE(f.has_framing());
    f.Set(FieldName(name), "x");
    EXPECT_TRUE(f.has_framing()) << name;
  }
  // The same names as literals, whose checks ran when this file was compiled.
  Fields literal;
  literal.Add("Content-Type", "text/plain");
  EXPECT_FALSE(literal.has_framing());
  literal.Add("connection", "close");
  EXPECT_TRUE(literal.has_framing());
  EXPECT_TRUE(literal.valid());
  Fields literal_value;
  literal_value.Add("X-Ok", "a\r\nInjected: 1");  // a literal name, a bad value
  EXPECT_FALSE(literal_value.valid());
}

// A value may view the fields it is added to: growing the buffer (Add) or moving
// the lines after a replaced value (Set) must not change what is copied.
TEST(FieldsTest, AValueViewingTheFieldsThemselvesIsCopiedWhole) {
  Fields f;
  const std::string big(300, 'v');
  f.Add("X-First", big);
  for (int i = 0; i < 4; ++i) f.Add("X-Copy", *f.Get("X-First"));  // grows past 512
  ASSERT_EQ(f.size(), 5u);
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_EQ(f[i].second, big) << i;
  f.Add("X-Last", "tail-value");
  f.Set("X-First", *f.Get("X-Last"));  // shrinks the first line: the tail moves
  EXPECT_EQ(f.Get("X-First"), "tail-value");
  EXPECT_EQ(f.Get("X-Last"), "tail-value");
  f.Set("X-Last", f[1].second.substr(0, 200));  // grows the last from an earlier line
  EXPECT_EQ(f.Get("X-Last"), std::string(200, 'v'));
  EXPECT_TRUE(f.valid());
}

// Set() skips the scan for names no field can have (fields.cc NameBit): over names
// of every length and last character, in either case, it must still find each one.
TEST(FieldsTest, SetFindsEveryNameWhateverItsLengthLastCharacterOrCase) {
  const std::string tail = "abcxyz09-_~";
  for (std::size_t n = 1; n <= 70; ++n) {
    for (const char last : tail) {
      Fields f;
      std::string name(n - 1, 'k');
      name += last;
      f.Add(FieldName(name), "old");
      f.Add("Other", "o");
      std::string upper = name;
      for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      f.Set(FieldName(upper), "new");
      ASSERT_EQ(f.size(), 2u) << name;
      ASSERT_EQ(f.Get(name), "new") << name;
    }
  }
}

TEST(FieldsTest, AssigningAListStartsOver) {
  Fields f;
  f.Add(FieldName(std::string_view("Bad Name")), "v");
  f.Add("Connection", "close");
  f = {{"Content-Type", "text/plain"}};
  EXPECT_TRUE(f.valid());
  EXPECT_FALSE(f.has_framing());
  EXPECT_EQ(f.wire(), "Content-Type: text/plain\r\n");
}

// A literal name is checked when compiled, by the rules Add applies at run time to
// others ("Bad Name" as a literal does not compile).
static_assert(FieldName("X-Keyward-Key-Id").checked());
static_assert(!FieldName(std::string_view("X-A")).checked());
static_assert(!FieldName::IsToken("Bad Name") && !FieldName::IsToken("") &&
              !FieldName::IsToken("Bad:Name") && !FieldName::IsToken("caf\xC3\xA9") &&
              FieldName::IsToken("RateLimit-Policy"));
static_assert(FieldName("Transfer-Encoding").framing() &&
              FieldName("CONNECTION").framing() && !FieldName("Content-Type").framing());

}  // namespace
}  // namespace keyward::http
