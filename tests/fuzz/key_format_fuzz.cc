// Fuzzes core::KeyFormat: prefix validation, DisplayPrefix (the MALFORMED check that
// runs on every request before any look-up), and the generate/accept round trip.
//
// Input: byte 0 picks a key format, bytes 1..2 pick a one-character substitution,
// the rest is the candidate key; the first 32 bytes of the rest also seed a
// generated key.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "keyward/core/base62.h"
#include "keyward/core/key_format.h"
#include "keyward/core/random.h"

namespace {

using keyward::core::KeyFormat;

// Hands out the fuzz input's bytes as the "random" bytes of a key.
class BytesRandom final : public keyward::core::RandomSource {
 public:
  explicit BytesRandom(std::string_view bytes) : bytes_(bytes) {}
  void Fill(std::span<std::uint8_t> out) override {
    std::fill(out.begin(), out.end(), 0);
    std::memcpy(out.data(), bytes_.data(), std::min(out.size(), bytes_.size()));
  }

 private:
  std::string_view bytes_;
};

const KeyFormat& Format(std::uint8_t selector) {
  static const std::array<KeyFormat, 4> kFormats = {KeyFormat("kw"), KeyFormat("sk_live"),
                                                    KeyFormat("a"),
                                                    KeyFormat("abcdefghij_klmnopqrs")};
  return kFormats[selector % kFormats.size()];
}

void CheckAccepted(const KeyFormat& f, std::string_view key,
                   std::string_view display_prefix) {
  FUZZ_CHECK(key.size() == f.key_length());
  FUZZ_CHECK(key.substr(0, f.prefix().size()) == f.prefix());
  FUZZ_CHECK(key[f.prefix().size()] == '_');
  for (char c : key.substr(f.prefix().size() + 1)) {
    FUZZ_CHECK(keyward::core::IsBase62Char(c));
  }
  FUZZ_CHECK(display_prefix.size() == f.display_prefix_length());
  FUZZ_CHECK(key.substr(0, display_prefix.size()) == display_prefix);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const KeyFormat& f = Format(data[0]);
  const std::string_view candidate = input.substr(3);

  // A prefix is accepted by the constructor exactly when IsValidPrefix says so.
  const std::string_view prefix = candidate.substr(0, 24);
  bool threw = false;
  try {
    KeyFormat custom{std::string(prefix)};
    FUZZ_CHECK(custom.key_length() == prefix.size() + 50);
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  FUZZ_CHECK(threw == !KeyFormat::IsValidPrefix(prefix));

  if (auto dp = f.DisplayPrefix(candidate)) CheckAccepted(f, candidate, *dp);

  // Every generated key is accepted, and any one-character substitution of it is
  // MALFORMED: a CRC-32 catches every error confined to one byte.
  BytesRandom random(candidate);
  const KeyFormat::GeneratedKey generated = f.Generate(random);
  auto dp = f.DisplayPrefix(generated.key);
  FUZZ_CHECK(dp.has_value() && *dp == generated.display_prefix);
  CheckAccepted(f, generated.key, *dp);
  std::string typo = generated.key;
  const std::size_t at = data[1] % typo.size();
  if (typo[at] != static_cast<char>(data[2])) {
    typo[at] = static_cast<char>(data[2]);
    FUZZ_CHECK(!f.DisplayPrefix(typo).has_value());
  }
  return 0;
}
