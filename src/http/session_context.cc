// SessionContext: what the server shares with its connections (session.h).
#include <spdlog/spdlog.h>

#include <algorithm>
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

void SessionContext::Add(const std::shared_ptr<Session>& session, std::string group) {
  std::lock_guard lock(mu_);
  ++per_group_[group];
  live_.emplace(session.get(), LiveEntry{session, std::move(group)});
}

void SessionContext::Remove(const Session* session) {
  std::lock_guard lock(mu_);
  const auto it = live_.find(session);
  if (it == live_.end()) return;
  const auto group = per_group_.find(it->second.group);
  if (group != per_group_.end() && --group->second == 0) per_group_.erase(group);
  live_.erase(it);
}

std::vector<std::shared_ptr<Session>> SessionContext::Live() const {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mu_);
  for (const auto& [key, entry] : live_) {
    if (auto s = entry.session.lock()) out.push_back(std::move(s));
  }
  return out;
}

std::size_t SessionContext::live_count() const {
  std::lock_guard lock(mu_);
  return live_.size();
}

std::size_t SessionContext::group_count(const std::string& group) const {
  std::lock_guard lock(mu_);
  const auto it = per_group_.find(group);
  return it == per_group_.end() ? 0 : it->second;
}

bool SessionContext::EvictOne() {
  std::shared_ptr<Session> victim;
  IdleMark::Mark seen;
  {
    std::lock_guard lock(mu_);
    // A linear scan, only while the server is full. A session whose destructor
    // is waiting for mu_ to Remove itself is still whole (Remove runs first in
    // it), so reading its mark is safe; it is skipped when it cannot be locked.
    // A waiting connection goes first; then one whose request has been arriving
    // for long (attack review 2: connections that always had the next request
    // half sent were busy forever, and held a full server shut).
    const std::int64_t stalled_before = IdleMark::NowNs() - kStalledReadNs;
    const Session* best = nullptr;
    for (const auto& [key, entry] : live_) {
      const IdleMark::Mark m = key->mark();
      const bool waiting = m.phase() == IdleMark::kWaiting;
      const bool stalled =
          m.phase() == IdleMark::kReading && m.since_ns() < stalled_before;
      if (!waiting && !stalled) continue;
      const bool best_waiting = best != nullptr && seen.phase() == IdleMark::kWaiting;
      if (best == nullptr || (waiting && !best_waiting) ||
          (waiting == best_waiting && m.since_ns() < seen.since_ns())) {
        best = key;
        seen = m;
      }
    }
    if (best != nullptr) victim = live_.at(best).session.lock();
  }
  return victim != nullptr && victim->Evict(seen);
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

void LogTaskFailure(const char* what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("http: {} failed: {}", what, ex.what());
  }
}

void LogSessionFailure(std::exception_ptr e) {
  LogTaskFailure("connection coroutine", std::move(e));
}

std::string PeerGroup(const std::string& peer_ip) {
  boost::system::error_code ec;
  const boost::asio::ip::address a = boost::asio::ip::make_address(peer_ip, ec);
  if (ec || !a.is_v6()) return peer_ip;
  boost::asio::ip::address_v6::bytes_type bytes = a.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace keyward::http::internal
