#include "keyward/cli/cli.h"

int main(int argc, char** argv) { return keyward::cli::Main(argc, argv); }
