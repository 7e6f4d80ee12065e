// Prints the server's route table, one "METHOD PATTERN" a line, for
// tests/docs/check_openapi.py: the OpenAPI spec is compared with what Api really
// routes, not with a copy of it.
#include <iostream>

#include "keyward/api/api.h"

int main() {
  for (const auto& r : keyward::api::Api::RouteTable()) {
    std::cout << r.method << " " << r.pattern << "\n";
  }
  return 0;
}
