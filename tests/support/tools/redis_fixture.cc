// redis_fixture start FILE | stop FILE: the ctest fixture around one private
// redis-server for the whole test run (support/redis_server.h). start writes the
// port, the pid and the server's directory to FILE, one per line, and leaves the
// server running; stop shuts it down and removes it.
#include <cstdio>
#include <fstream>
#include <string>

#include "support/redis_server.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: redis_fixture start|stop FILE\n");
    return 2;
  }
  const std::string command = argv[1];
  const std::string file = argv[2];
  if (command == "start") {
    keyward::testing::RedisServer server;
    std::string error;
    if (!server.Start(&error)) {
      std::fprintf(stderr, "redis_fixture: %s\n", error.c_str());
      return 1;  // the destructor stops what did start
    }
    std::ofstream out(file, std::ios::trunc);
    out << server.port() << "\n" << server.pid() << "\n" << server.dir() << "\n";
    std::printf("redis-server on 127.0.0.1:%d\n", server.port());
    const bool ok = static_cast<bool>(out);
    server.Detach();  // it runs on for the test run
    return ok ? 0 : 1;
  }
  if (command == "stop") {
    std::ifstream in(file);
    int port = 0;
    long pid = 0;
    std::string dir;
    in >> port >> pid >> dir;
    keyward::testing::RedisServer::StopDetached(static_cast<pid_t>(pid), dir);
    std::remove(file.c_str());
    return 0;
  }
  std::fprintf(stderr, "redis_fixture: unknown command %s\n", command.c_str());
  return 2;
}
