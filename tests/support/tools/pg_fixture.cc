// pg_fixture start FILE | stop FILE: the ctest fixture around one private
// PostgreSQL for the whole test run (support/postgres_server.h). start writes the
// admin URL and the server's directory to FILE, one per line, and leaves the server
// running; stop shuts it down and removes it.
#include <cstdio>
#include <fstream>
#include <string>

#include "support/postgres_server.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: pg_fixture start|stop FILE\n");
    return 2;
  }
  const std::string command = argv[1];
  const std::string file = argv[2];
  if (command == "start") {
    keyward::testing::PostgresServer server;
    std::string error;
    if (!server.Start(&error)) {
      std::fprintf(stderr, "pg_fixture: %s\n", error.c_str());
      server.Stop();
      return 1;
    }
    std::ofstream out(file, std::ios::trunc);
    out << server.admin_url() << "\n" << server.dir() << "\n";
    std::printf("PostgreSQL at %s\n", server.admin_url().c_str());
    return out ? 0 : 1;
  }
  if (command == "stop") {
    std::ifstream in(file);
    std::string url, dir;
    std::getline(in, url);
    std::getline(in, dir);
    if (!dir.empty()) keyward::testing::PostgresServer::StopDetached(dir);
    std::remove(file.c_str());
    return 0;
  }
  std::fprintf(stderr, "pg_fixture: unknown command %s\n", command.c_str());
  return 2;
}
