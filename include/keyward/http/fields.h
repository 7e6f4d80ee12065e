// Fields: a response's header fields, kept in the form they go on the wire.
//
// An answer about a key carries about ten fields (its identity, rate-limit state,
// caching, the content type). As a vector of std::string pairs each cost one or two
// heap blocks to make, a copy into the response head and the frees; here every
// field is appended as its line, "Name: value\r\n", to one buffer, with a small
// index of where each name and value is. The transport copies the buffer whole.
//
// Checks happen as fields are added: a name that is not an RFC 9110 token, or a
// value holding CR, LF or NUL (which would let a value smuggle a header or a second
// response into the stream), makes valid() false for good, and the transport then
// answers 500 instead. Fields the transport frames itself (Content-Length,
// Transfer-Encoding, Connection) are noted, so the head leaves them out.
// Thread-compatible.
#ifndef KEYWARD_HTTP_FIELDS_H_
#define KEYWARD_HTTP_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyward/http/field_name.h"
#include "keyward/http/line_buffer.h"

namespace keyward::http {

class Fields {
 public:
  // A field as a pair of views into the buffer (first: name, second: value), valid
  // until the Fields next changes.
  struct Field {
    std::string_view first;
    std::string_view second;
  };

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Field;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Field;

    Iterator() = default;
    Field operator*() const { return (*fields_)[index_]; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator was = *this;
      ++index_;
      return was;
    }
    bool operator==(const Iterator& o) const { return index_ == o.index_; }

   private:
    friend class Fields;
    Iterator(const Fields* fields, std::size_t index) : fields_(fields), index_(index) {}
    const Fields* fields_ = nullptr;
    std::size_t index_ = 0;
  };

  Fields() = default;
  Fields(std::initializer_list<Field> fields);  // NOLINT: as a vector of pairs
  Fields& operator=(std::initializer_list<Field> fields);

  // Replaces the value of the first field named `name` (ASCII case-insensitively),
  // or adds the field.
  void Set(FieldName name, std::string_view value);
  // Adds a field, even if one of that name is there already.
  void Add(FieldName name, std::string_view value);
  void emplace_back(FieldName name, std::string_view value) { Add(name, value); }
  // The first value of `name`, if any.
  std::optional<std::string_view> Get(std::string_view name) const;

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  Field operator[](std::size_t i) const;
  Field back() const { return (*this)[entries_.size() - 1]; }
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, entries_.size()); }

  // Every field's line, in order: what the response head carries.
  std::string_view wire() const { return bytes_.view(); }
  bool valid() const { return valid_; }
  // A Content-Length, Transfer-Encoding or Connection field was added.
  bool has_framing() const { return has_framing_; }

 private:
  // The line of a field starts at `offset`: name, ": ", value, "\r\n".
  struct Entry {
    std::uint32_t offset;
    std::uint32_t name_size;
    std::uint32_t value_size;
  };

  // `value` points into bytes_ (so a change to them could move it).
  bool Aliases(std::string_view value) const;

  LineBuffer bytes_;
  std::vector<Entry> entries_;
  std::uint64_t name_bits_ = 0;  // NameBit() of every name added (fields.cc)
  bool valid_ = true;
  bool has_framing_ = false;
};

}  // namespace keyward::http

#endif  // KEYWARD_HTTP_FIELDS_H_
