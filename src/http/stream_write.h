// Private: writing a response through a stream's non-blocking steps (io_step.h),
// for session.cc: as much as the socket takes now, so that a response it takes
// whole (the common case) is written with no wait at all.
#ifndef KEYWARD_SRC_HTTP_STREAM_WRITE_H_
#define KEYWARD_SRC_HTTP_STREAM_WRITE_H_

#include <cstddef>
#include <string_view>

#include "io_step.h"

namespace keyward::http::internal {

// Writes what is left of `data` after `done` bytes while the socket takes it; a
// step that waits is called again, with `done` as it left it, once the socket is
// writable.
template <class Stream>
IoStep WriteNow(Stream& stream, std::string_view data, std::size_t& done) {
  while (done < data.size()) {
    IoStep step = stream.WriteSome(data.data() + done, data.size() - done);
    if (step.waits() || step.ec) return step;
    done += step.n;
  }
  return IoStep::Done(done);
}

// The same for a response head (with the body inline, or not) and then, unless
// `whole`, its body: `done` counts the bytes of both.
template <class Stream>
IoStep WriteResponseNow(Stream& stream, std::string_view head, std::string_view body,
                        bool whole, std::size_t& done) {
  if (done < head.size()) {
    IoStep step = WriteNow(stream, head, done);
    if (step.waits() || step.ec || whole) return step;
  }
  if (whole) return IoStep::Done(done);
  std::size_t body_done = done - head.size();
  IoStep step = WriteNow(stream, body, body_done);
  done = head.size() + body_done;
  return step;
}

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_STREAM_WRITE_H_
