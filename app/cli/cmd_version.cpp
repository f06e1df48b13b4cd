// cxr version — prints the version and build configuration.
#include "command.h"

#include <iostream>

CXR_CLI_COMMAND("version", "Print the version and build configuration", [](CLI::App&) {
  return []() {
    std::cout << "cxr " << CXR_VERSION << "\n"
#ifdef CXR_HAVE_CUDA
              << "cuda: compiled\n"
#else
              << "cuda: not compiled\n"
#endif
              << "Decision support only: every suggestion must be reviewed by a physician.\n";
    return cxr::cli::kExitOk;
  };
});
