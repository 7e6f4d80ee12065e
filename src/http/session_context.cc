// SessionContext: what the server shares with its connections (session.h).
#include <spdlog/spdlog.h>

#include <exception>
#include <mutex>
#include <utility>

#include "framing.h"
#include "session.h"

namespace keyward::http::internal {

SessionContext::SessionContext(ServerOptions options, Handler handler,
                               boost::asio::ssl::context* ssl)
    : options_(std::move(options)), handler_(std::move(handler)), ssl_(ssl) {}

void SessionContext::ReportTransportResponse(int status) const {
  if (observer_ == nullptr || !*observer_) return;
  try {
    (*observer_)(status);
  } catch (...) {
    // An observer (metrics) must not take a connection down with it.
  }
}

void SessionContext::Add(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mu_);
  live_.emplace(session.get(), session);
}

void SessionContext::Remove(const Session* session) {
  std::lock_guard lock(mu_);
  live_.erase(session);
}

std::vector<std::shared_ptr<Session>> SessionContext::Live() const {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mu_);
  for (const auto& [key, weak] : live_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

std::size_t SessionContext::live_count() const {
  std::lock_guard lock(mu_);
  return live_.size();
}

Response SessionContext::Call(const Request& request) const {
  Response response;
  try {
    response = handler_(request);
  } catch (const std::exception&) {
    // what() may quote the request (and so a key): only the fact is logged.
    spdlog::error("http: handler threw an exception; answering 500");
    return TransportResponse(TransportError::kInternal);
  } catch (...) {
    spdlog::error("http: handler threw a non-exception; answering 500");
    return TransportResponse(TransportError::kInternal);
  }
  if (response.status < 200 || response.status > 599 || !response.headers.valid()) {
    spdlog::error("http: handler produced an invalid status or header; answering 500");
    return TransportResponse(TransportError::kInternal);
  }
  return response;
}

Response SessionContext::TransportResponse(TransportError error,
                                           std::size_t limit) const {
  Response r = MakeTransportErrorResponse(error, limit);
  ReportTransportResponse(r.status);
  return r;
}

// "::ffff:1.2.3.4" (an IPv4 client on a dual-stack socket) is reported as "1.2.3.4".
std::string PeerIp(const ConnectionSocket& socket) {
  boost::system::error_code ec;
  const boost::asio::ip::tcp::endpoint ep = socket.remote_endpoint(ec);
  if (ec) return {};
  boost::asio::ip::address a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  }
  return a.to_string();
}

}  // namespace keyward::http::internal
