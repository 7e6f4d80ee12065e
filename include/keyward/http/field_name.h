// FieldName: the name of a response header field, as Fields::Add and Set take it.
//
// Nearly every name a handler sets is a literal ("Content-Type", "RateLimit"). A
// literal converts to a FieldName implicitly and is checked when the program is
// compiled: a name that is not an RFC 9110 token does not compile, and adding it
// costs no check at run time (an answer about a key adds about ten). Whether it is
// one the transport frames itself (Content-Length, Transfer-Encoding, Connection)
// is worked out then too. Any other name must be wrapped, FieldName(name), and is
// checked when it is added, as before.
#ifndef KEYWARD_HTTP_FIELD_NAME_H_
#define KEYWARD_HTTP_FIELD_NAME_H_

#include <cstddef>
#include <string_view>

namespace keyward::http {

class FieldName {
 public:
  template <std::size_t N>
  consteval FieldName(const char (&name)[N])  // NOLINT: literals convert implicitly
      : name_(name, N - 1), checked_(true), framing_(IsFraming(name_)) {
    // Not a constant expression, so a literal that is not a token fails to compile.
    if (!IsToken(name_)) throw "a header field name must be an RFC 9110 token";
  }
  // A name known only at run time: Fields checks it when it is added.
  explicit constexpr FieldName(std::string_view name) : name_(name) {}

  constexpr std::string_view view() const { return name_; }
  // Checked when compiled (then framing() is known too).
  constexpr bool checked() const { return checked_; }
  constexpr bool framing() const { return framing_; }

  // RFC 9110 5.6.2 token: one or more tchar.
  static constexpr bool IsToken(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s) {
      const bool alnum =
          (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
        return false;
    }
    return true;
  }
  // Content-Length, Transfer-Encoding or Connection, in any case.
  static constexpr bool IsFraming(std::string_view s) {
    return EqualsLower(s, "content-length") || EqualsLower(s, "transfer-encoding") ||
           EqualsLower(s, "connection");
  }

 private:
  static constexpr bool EqualsLower(std::string_view s, std::string_view lower) {
    if (s.size() != lower.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c =
          s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
      if (c != lower[i]) return false;
    }
    return true;
  }

  std::string_view name_;
  bool checked_ = false;
  bool framing_ = false;
};

}  // namespace keyward::http

#endif  // KEYWARD_HTTP_FIELD_NAME_H_
