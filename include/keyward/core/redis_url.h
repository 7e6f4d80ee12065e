// ParseRedisUrl: the limits.backend value redis://HOST:PORT[/DB] (contract section
// 7). Pure: config/ validates with it and limits/ connects with its result, so the
// two can never disagree on what a URL means.
#ifndef KEYWARD_CORE_REDIS_URL_H_
#define KEYWARD_CORE_REDIS_URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace keyward::core {

struct RedisEndpoint {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  int port = 6379;
  int db = 0;
};

// nullopt for anything but redis://HOST[:PORT][/DB] with PORT 1..65535 and DB
// 0..65535 (no user, password, query or fragment: keep secrets out of the config
// value; a Redis that needs a password is not supported yet).
std::optional<RedisEndpoint> ParseRedisUrl(std::string_view url);

}  // namespace keyward::core

#endif  // KEYWARD_CORE_REDIS_URL_H_
