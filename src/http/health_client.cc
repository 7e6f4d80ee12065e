// CheckHealth (keyward/http/health_client.h): one GET over Beast, run on a private
// io_context so the whole exchange has a single deadline.
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <exception>
#include <utility>

#include "keyward/http/health_client.h"

namespace keyward::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// A health answer is tiny; a peer that sends more is not a keyward to wait for.
constexpr std::size_t kMaxBody = 64 * 1024;

HealthCheckResult Failed(std::string why) {
  HealthCheckResult r;
  r.error = std::move(why);
  return r;
}

std::string HostHeader(const HttpUrl& url) {
  const bool v6 = url.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? 443 : 80)) host += ":" + std::to_string(url.port);
  return host;
}

template <class Stream>
asio::awaitable<HealthCheckResult> Exchange(Stream& stream, const HttpUrl& url) {
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, url.target, 11};
  req.set(bhttp::field::host, HostHeader(url));
  req.set(bhttp::field::user_agent, "keyward-health");
  req.set(bhttp::field::connection, "close");
  if (auto [ec, n] = co_await bhttp::async_write(stream, req, kNoThrow); ec)
    co_return Failed("sending the request failed: " + ec.message());
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxBody);
  if (auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow); ec)
    co_return Failed("no HTTP response: " + ec.message());
  HealthCheckResult r;
  r.status = static_cast<int>(parser.get().result_int());
  co_return r;
}

asio::awaitable<HealthCheckResult> Fetch(HttpUrl url, HealthCheckOptions options) {
  auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  auto [rec, endpoints] =
      co_await resolver.async_resolve(url.host, std::to_string(url.port), kNoThrow);
  if (rec) co_return Failed("cannot resolve " + url.host + ": " + rec.message());
  bool loopback = !endpoints.empty();
  for (const auto& e : endpoints)
    loopback = loopback && e.endpoint().address().is_loopback();

  beast::tcp_stream tcp_stream(ex);
  if (auto [ec, ep] = co_await tcp_stream.async_connect(endpoints, kNoThrow); ec)
    co_return Failed("cannot connect: " + ec.message());
  if (!url.tls) co_return co_await Exchange(tcp_stream, url);

  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  const bool verify = ShouldVerifyCertificate(loopback, options);
  boost::system::error_code ec;
  if (verify) {
    if (!options.ca_file.empty()) {
      ctx.load_verify_file(options.ca_file, ec);
      if (ec) co_return Failed("cannot read " + options.ca_file + ": " + ec.message());
    } else {
      ctx.set_default_verify_paths();
    }
    ctx.set_verify_mode(ssl::verify_peer);
  } else {
    ctx.set_verify_mode(ssl::verify_none);
  }
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), ctx);
  asio::ip::make_address(url.host, ec);
  // SNI takes names only; an address literal is checked against the IP SANs.
  if (ec) SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
  if (verify) stream.set_verify_callback(ssl::host_name_verification(url.host));
  if (auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, kNoThrow);
      hec) {
    co_return Failed(
        "TLS handshake failed: " + hec.message() +
        (verify ? " (use --cacert FILE, or --insecure to skip the check)" : ""));
  }
  HealthCheckResult r = co_await Exchange(stream, url);
  r.verified_tls = verify;
  co_return r;
}

}  // namespace

bool ShouldVerifyCertificate(bool all_addresses_loopback, const HealthCheckOptions& o) {
  if (o.insecure) return false;
  if (!o.ca_file.empty()) return true;
  return !all_addresses_loopback;
}

HealthCheckResult CheckHealth(const HealthCheckOptions& options) {
  std::string error;
  auto url = ParseHttpUrl(options.url, &error);
  if (!url) return Failed(error);
  asio::io_context ioc;
  std::optional<HealthCheckResult> result;
  asio::co_spawn(ioc, Fetch(std::move(*url), options),
                 [&](std::exception_ptr e, HealthCheckResult r) {
                   if (e) {
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       r = Failed(ex.what());
                     } catch (...) {
                       r = Failed("unexpected error");
                     }
                   }
                   result = std::move(r);
                 });
  ioc.run_for(std::chrono::seconds(options.timeout_seconds));
  if (!result) {
    return Failed("no answer within " + std::to_string(options.timeout_seconds) + " s");
  }
  return std::move(*result);
}

}  // namespace keyward::http
