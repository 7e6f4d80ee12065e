// Private: the result of one non-blocking step on a connection (plain_stream.h,
// tls_stream.h), for session.cc.
//
// The connection loop first tries each read or write at once and waits for the
// socket only when the step says it must: a keep-alive request that is already
// buffered, and a response the socket can take, then cost no scheduler round trip
// and no asynchronous operation at all.
#ifndef KEYWARD_SRC_HTTP_IO_STEP_H_
#define KEYWARD_SRC_HTTP_IO_STEP_H_

#include <boost/system/error_code.hpp>
#include <cstddef>

namespace keyward::http::internal {

struct IoStep {
  enum class Want {
    kNone,   // the step is over: ec, and n bytes moved
    kRead,   // call again once the socket is readable
    kWrite,  // call again, with the same arguments, once it is writable
  };
  Want want = Want::kNone;
  boost::system::error_code ec;
  std::size_t n = 0;

  bool waits() const { return want != Want::kNone; }
  static IoStep Done(std::size_t bytes) { return {Want::kNone, {}, bytes}; }
  static IoStep Failed(boost::system::error_code error) {
    return {Want::kNone, error, 0};
  }
  static IoStep Wait(Want want) { return {want, {}, 0}; }
};

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_IO_STEP_H_
