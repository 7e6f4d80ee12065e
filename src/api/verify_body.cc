#include "keyward/api/verify_body.h"

#include <nlohmann/json.hpp>

namespace keyward::api {
namespace {

// A cursor over the body. Every reader returns false on anything outside the
// accepted subset; the caller then answers "not handled", never an error.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }

  // JSON's four whitespace bytes (RFC 8259 section 2), and no others: nlohmann
  // refuses a vertical tab or form feed, so must we.
  void SkipSpace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  // Consumes `c` after optional whitespace.
  bool Take(char c) {
    SkipSpace();
    if (pos_ == text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // True (without consuming) when the next byte after whitespace is `c`.
  bool Peek(char c) {
    SkipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  // A string of printable ASCII (0x20-0x7e) without escapes: its bytes are then
  // exactly the decoded value, as nlohmann would hold it. A backslash, a control
  // byte (NUL included) or any byte >= 0x80 is refused, so UTF-8 validation and
  // escape decoding never have to be repeated here.
  bool String(std::string_view& out) {
    if (!Take('"')) return false;
    const std::size_t start = pos_;
    while (pos_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        out = text_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c < 0x20 || c > 0x7e || c == '\\') return false;
      ++pos_;
    }
    return false;  // unterminated
  }

  // ["...", ...] with at most kMaxScannedScopes strings.
  bool StringArray(std::vector<std::optional<std::string_view>>& out) {
    if (!Take('[')) return false;
    if (Take(']')) return true;
    while (true) {
      if (out.size() == kMaxScannedScopes) return false;
      std::string_view item;
      if (!String(item)) return false;
      out.emplace_back(item);
      if (Take(']')) return true;
      if (!Take(',')) return false;
    }
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<VerifyFields> ScanVerifyBody(std::string_view body) {
  using Type = VerifyFields::Type;
  if (body.size() > kMaxScannedVerifyBody) return std::nullopt;
  Scanner in(body);
  VerifyFields f;
  if (!in.Take('{')) return std::nullopt;
  if (!in.Take('}')) {
    while (true) {
      std::string_view name;
      if (!in.String(name) || !in.Take(':')) return std::nullopt;
      // A repeated member is refused by the DOM path (json_body.cc): take it there.
      if (name == "key" && f.key == Type::kAbsent) {
        if (!in.String(f.key_text)) return std::nullopt;
        f.key = Type::kString;
      } else if (name == "scopes" && f.scopes == Type::kAbsent) {
        if (!in.Peek('[') || !in.StringArray(f.scope_items)) return std::nullopt;
        f.scopes = Type::kArray;
      } else if (name == "ip" && f.ip == Type::kAbsent) {
        if (!in.String(f.ip_text)) return std::nullopt;
        f.ip = Type::kString;
      } else {
        return std::nullopt;  // unknown or repeated: the DOM path words the answer
      }
      if (in.Take('}')) break;
      if (!in.Take(',')) return std::nullopt;
    }
  }
  in.SkipSpace();
  if (!in.AtEnd()) return std::nullopt;  // trailing bytes, a second value, a NUL
  return f;
}

VerifyFields ReadVerifyJson(const nlohmann::json& object) {
  using Type = VerifyFields::Type;
  const auto type_of = [](const nlohmann::json& v) {
    return v.is_string() ? Type::kString : v.is_array() ? Type::kArray : Type::kOther;
  };
  VerifyFields f;
  // iter_impl::key() is the map's own key, so the views stay valid with the DOM.
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& value = it.value();
    if (name == "key") {
      f.key = type_of(value);
      if (f.key == Type::kString) f.key_text = value.get_ref<const std::string&>();
    } else if (name == "scopes") {
      f.scopes = type_of(value);
      if (f.scopes != Type::kArray) continue;
      for (const nlohmann::json& item : value) {
        f.scope_items.push_back(item.is_string() ? std::optional<std::string_view>(
                                                       item.get_ref<const std::string&>())
                                                 : std::nullopt);
      }
    } else if (name == "ip") {
      f.ip = type_of(value);
      if (f.ip == Type::kString) f.ip_text = value.get_ref<const std::string&>();
    } else {
      f.unknown.push_back(name);
    }
  }
  return f;
}

}  // namespace keyward::api
