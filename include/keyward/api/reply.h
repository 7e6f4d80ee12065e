// Reply: what a handler answers, with what the dispatcher and the audit hook need to
// know about it without reading the body back.
//
// A Reply is an http::Response plus the problem code and verification outcome of a
// refusal (empty for a success). Handlers return one; a Result's Error converts to
// one (the problem+json of api/problem.h), so RETURN_IF_ERROR works in handlers.
#ifndef KEYWARD_API_REPLY_H_
#define KEYWARD_API_REPLY_H_

#include <string_view>

#include "keyward/core/result.h"
#include "keyward/http/message.h"

namespace keyward::api {

struct Reply {
  Reply() = default;
  Reply(http::Response r) : response(std::move(r)) {}  // NOLINT: implicit by design
  Reply(const Error& error);                           // NOLINT: implicit by design

  int status() const { return response.status; }
  void Set(http::FieldName name, std::string_view value) { response.Set(name, value); }

  http::Response response;
  // Both point at static strings (the tables of problem.cc and core/outcome.h).
  std::string_view code;     // the problem's "code" ("insufficient_scope"), or empty
  std::string_view outcome;  // the verification outcome of a refused key, or empty
  // The status the refusal really had, when a gateway needs it sent as another
  // (forward auth behind nginx answers 403 for a 429); 0 when response.status is it.
  int real_status = 0;
};

}  // namespace keyward::api

#endif  // KEYWARD_API_REPLY_H_
