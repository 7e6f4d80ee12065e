#include "keyward/http/fields.h"

#include <array>
#include <cstring>
#include <functional>
#include <limits>
#include <string>

#include "keyward/http/message.h"

namespace keyward::http {
namespace {

// RFC 9110 5.6.2 tchar, as a table (find_first_of with a set costs a memchr per
// character).
constexpr std::array<bool, 256> kToken = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (const char c : std::string_view("!#$%&'*+-.^_`|~"))
    t[static_cast<unsigned char>(c)] = true;
  return t;
}();

bool IsToken(std::string_view s) {
  bool all = !s.empty();
  for (const char c : s) all &= kToken[static_cast<unsigned char>(c)];
  return all;
}

// No CR, LF or NUL (obs-text and HTAB are allowed: the values are keyward's own).
// Eight bytes a step: a word has a zero byte iff (w - 0x01..) & ~w & 0x80.. is not
// zero, and XOR with a repeated byte turns that byte into zero.
bool IsSafeValue(std::string_view v) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHighs = 0x8080808080808080u;
  const auto has_zero = [](std::uint64_t w) { return (w - kOnes) & ~w & kHighs; };
  const auto unsafe = [&](const char* at) {
    std::uint64_t w;
    std::memcpy(&w, at, 8);
    return has_zero(w) | has_zero(w ^ (kOnes * '\r')) | has_zero(w ^ (kOnes * '\n'));
  };
  const char* p = v.data();
  std::size_t n = v.size();
  if (n < 8) {
    bool safe = true;
    for (; n > 0; ++p, --n) safe &= *p != '\0' && *p != '\r' && *p != '\n';
    return safe;
  }
  // Whole words, the last overlapping the one before rather than byte by byte.
  std::uint64_t bad = 0;
  for (; n > 8; p += 8, n -= 8) bad |= unsafe(p);
  return (bad | unsafe(p + n - 8)) == 0;
}

bool IsFramingName(std::string_view name) {
  if (name.empty()) return false;
  const char c = name[0] | 0x20;  // every framing name starts with c or t
  if (c != 'c' && c != 't') return false;
  return HeaderNameEquals(name, "Content-Length") ||
         HeaderNameEquals(name, "Transfer-Encoding") ||
         HeaderNameEquals(name, "Connection");
}

// A bit per (length, last letter) of a name: Set() of a name no field can have (the
// bit clear) adds at once instead of comparing against every field. Case-blind, as
// names are; unequal names may share a bit, which only costs the scan.
std::uint64_t NameBit(std::string_view name) {
  const unsigned last =
      name.empty() ? 0u : static_cast<unsigned char>(name.back()) | 0x20u;
  return std::uint64_t{1} << ((name.size() * 7 + last) & 63);
}

// An answer about a key carries about ten fields; the index grows past this rarely.
constexpr std::size_t kReserveFields = 12;

}  // namespace

Fields::Fields(std::initializer_list<Field> fields) {
  for (const Field& f : fields) Add(FieldName(f.first), f.second);
}

Fields& Fields::operator=(std::initializer_list<Field> fields) {
  bytes_.clear();
  entries_.clear();
  name_bits_ = 0;
  valid_ = true;
  has_framing_ = false;
  for (const Field& f : fields) Add(FieldName(f.first), f.second);
  return *this;
}

Fields::Field Fields::operator[](std::size_t i) const {
  const Entry& e = entries_[i];
  const std::string_view all = bytes_.view();
  return {all.substr(e.offset, e.name_size),
          all.substr(e.offset + e.name_size + 2, e.value_size)};
}

bool Fields::Aliases(std::string_view value) const {
  const std::string_view all = bytes_.view();
  const std::less<const char*> before;  // total order, even across blocks
  return !value.empty() && !all.empty() && !before(value.data(), all.data()) &&
         before(value.data(), all.data() + all.size());
}

void Fields::Add(FieldName field_name, std::string_view value) {
  // A value viewing these very fields (Add("X", *Get("Y"))) would be read after a
  // grow freed it: copy it out first.
  if (Aliases(value)) return Add(field_name, std::string(value));
  const std::string_view name = field_name.view();
  // Offsets are 32 bits: a field list past 4 GiB is refused, never wrapped.
  if (bytes_.size() + name.size() + value.size() + 4 >
      std::numeric_limits<std::uint32_t>::max()) {
    valid_ = false;
    return;
  }
  if (field_name.checked()) {  // when compiled (field_name.h)
    valid_ = valid_ && IsSafeValue(value);
    has_framing_ = has_framing_ || field_name.framing();
  } else {
    valid_ = valid_ && IsToken(name) && IsSafeValue(value);
    if (!has_framing_ && IsFramingName(name)) has_framing_ = true;
  }
  if (entries_.empty()) entries_.reserve(kReserveFields);
  name_bits_ |= NameBit(name);
  const std::size_t at = bytes_.size();
  entries_.push_back({static_cast<std::uint32_t>(at),
                      static_cast<std::uint32_t>(name.size()),
                      static_cast<std::uint32_t>(value.size())});
  char* p = bytes_.Append(name.size() + value.size() + 4);
  if (!name.empty()) std::memcpy(p, name.data(), name.size());  // (never from null)
  p += name.size();
  *p++ = ':';
  *p++ = ' ';
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  p += value.size();
  *p++ = '\r';
  *p = '\n';
}

void Fields::Set(FieldName field_name, std::string_view value) {
  if (Aliases(value)) return Set(field_name, std::string(value));  // as in Add
  const std::string_view name = field_name.view();
  if ((name_bits_ & NameBit(name)) == 0) return Add(field_name, value);
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    Entry& e = entries_[i];
    if (e.name_size != name.size() ||
        !HeaderNameEquals(bytes_.view().substr(e.offset, e.name_size), name))
      continue;
    if (!IsSafeValue(value) || bytes_.size() - e.value_size + value.size() >
                                   std::numeric_limits<std::uint32_t>::max()) {
      valid_ = false;
      return;
    }
    // In place: the later lines move by the difference in length.
    bytes_.Replace(e.offset + e.name_size + 2, e.value_size, value);
    const auto delta = static_cast<std::int64_t>(value.size()) - e.value_size;
    e.value_size = static_cast<std::uint32_t>(value.size());
    for (std::size_t j = i + 1; j < entries_.size(); ++j) {
      entries_[j].offset = static_cast<std::uint32_t>(entries_[j].offset + delta);
    }
    return;
  }
  Add(field_name, value);
}

std::optional<std::string_view> Fields::Get(std::string_view name) const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Field f = (*this)[i];
    if (HeaderNameEquals(f.first, name)) return f.second;
  }
  return std::nullopt;
}

}  // namespace keyward::http
