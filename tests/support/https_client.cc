#include "support/https_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "support/socket_util.h"

namespace keyward::testing {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool HasHeader(const std::vector<std::pair<std::string, std::string>>& headers,
               std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return true;
  }
  return false;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

}  // namespace

std::string ClientResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

// One TCP (optionally TLS) connection with a receive buffer.
class HttpsClient::Connection {
 public:
  Connection(int fd, SSL_CTX* ctx, SSL* ssl) : fd_(fd), ctx_(ctx), ssl_(ssl) {}
  ~Connection() {
    if (ssl_ != nullptr) {
      // One-way close_notify (the server does not wait for more); only on a live
      // session, and whatever it reports is irrelevant to the test.
      if (SSL_is_init_finished(ssl_)) SSL_shutdown(ssl_);
      SSL_free(ssl_);
      ERR_clear_error();
    }
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    ::close(fd_);
  }

  bool WriteAll(std::string_view data) {
    while (!data.empty()) {
      const int chunk = static_cast<int>(std::min<std::size_t>(data.size(), 1 << 20));
      long n = ssl_ != nullptr ? SSL_write(ssl_, data.data(), chunk)
                               : ::send(fd_, data.data(), chunk, MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Appends what arrives next to buf_; false on close, error or timeout.
  bool Fill() {
    char tmp[16384];
    long n = ssl_ != nullptr ? SSL_read(ssl_, tmp, sizeof tmp)
                             : ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }

  std::string ReadUntilClose() {
    while (Fill()) {
    }
    return std::move(buf_);
  }

  // Reads one response (skipping 1xx). `any` tells whether any byte arrived.
  bool ReadResponse(bool head, ClientResponse* out, bool* any) {
    *any = !buf_.empty();
    for (;;) {
      std::size_t end;
      while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
        if (!Fill()) return false;
        *any = true;
      }
      const std::string head_block = buf_.substr(0, end + 2);
      buf_.erase(0, end + 4);
      *out = ClientResponse{};
      std::size_t line_end = head_block.find("\r\n");
      const std::string status_line = head_block.substr(0, line_end);
      if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return false;
      out->status = std::atoi(status_line.c_str() + 9);
      for (std::size_t pos = line_end + 2; pos < head_block.size();) {
        const std::size_t next = head_block.find("\r\n", pos);
        const std::string line = head_block.substr(pos, next - pos);
        pos = next + 2;
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) return false;
        out->headers.emplace_back(line.substr(0, colon), Trim(line.substr(colon + 1)));
      }
      if (out->status >= 200) break;
    }
    if (head || out->status == 204 || out->status == 304) return true;
    if (IEquals(out->Header("Transfer-Encoding"), "chunked")) return ReadChunked(out);
    const std::string length = out->Header("Content-Length");
    if (length.empty()) {
      out->body = ReadUntilClose();
      return true;
    }
    const std::size_t n = std::strtoull(length.c_str(), nullptr, 10);
    while (buf_.size() < n) {
      if (!Fill()) return false;
    }
    out->body = buf_.substr(0, n);
    buf_.erase(0, n);
    return true;
  }

 private:
  bool ReadChunked(ClientResponse* out) {
    for (;;) {
      std::size_t eol;
      while ((eol = buf_.find("\r\n")) == std::string::npos) {
        if (!Fill()) return false;
      }
      const std::size_t size = std::strtoull(buf_.c_str(), nullptr, 16);
      buf_.erase(0, eol + 2);
      while (buf_.size() < size + 2) {
        if (!Fill()) return false;
      }
      out->body.append(buf_, 0, size);
      buf_.erase(0, size + 2);
      if (size == 0) return true;  // (trailers are not supported)
    }
  }

  int fd_;
  SSL_CTX* ctx_;
  SSL* ssl_;
  std::string buf_;
};

HttpsClient::HttpsClient(std::string host, std::uint16_t port, bool tls)
    : host_(std::move(host)), port_(port), tls_(tls) {}

HttpsClient::~HttpsClient() = default;

std::unique_ptr<HttpsClient::Connection> HttpsClient::Connect(std::string* error) {
  const int fd = ConnectTcp(host_, port_, timeout_seconds_, error);
  if (fd < 0) return nullptr;
  if (!tls_) return std::make_unique<Connection>(fd, nullptr, nullptr);
  SSL_CTX* ctx = NewInsecureClientContext();
  SSL* ssl = ctx != nullptr ? SSL_new(ctx) : nullptr;
  if (ssl != nullptr) {
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
  }
  // Owned from here on, so every failure path below releases fd, ctx and ssl.
  auto conn = std::make_unique<Connection>(fd, ctx, ssl);
  if (ssl == nullptr || SSL_connect(ssl) != 1) {
    *error = "TLS handshake failed: " + OpenSslErrors();
    return nullptr;
  }
  return conn;
}

ClientResponse HttpsClient::Send(std::string method, std::string target,
                                 std::vector<std::pair<std::string, std::string>> headers,
                                 std::string body) {
  std::string request = method + " " + target + " HTTP/1.1\r\n";
  if (!HasHeader(headers, "Host")) request += "Host: localhost\r\n";
  const bool has_framing =
      HasHeader(headers, "Content-Length") || HasHeader(headers, "Transfer-Encoding");
  if (!has_framing &&
      (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
  request += "\r\n";
  request += body;

  std::string error;
  // A kept-alive connection may have been closed by the server meanwhile (idle
  // timeout): if it yields nothing at all, retry once on a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = conn_ != nullptr;
    if (!conn_) {
      conn_ = Connect(&error);
      if (!conn_) break;
      ++connections_opened_;
    }
    ClientResponse response;
    bool any = false;
    if (conn_->WriteAll(request) &&
        conn_->ReadResponse(method == "HEAD", &response, &any)) {
      if (IEquals(response.Header("Connection"), "close")) conn_.reset();
      return response;
    }
    conn_.reset();
    error = "no complete response";
    if (!reused || any) break;
  }
  return ClientResponse{0, {}, "request failed: " + error};
}

std::string HttpsClient::SendRaw(std::string bytes) {
  std::string error;
  std::unique_ptr<Connection> conn = Connect(&error);
  if (!conn) return {};
  conn->WriteAll(bytes);  // the server may close early; read what it answered anyway
  return conn->ReadUntilClose();
}

}  // namespace keyward::testing
