#include <iostream>

#include "billwatch/app/cli.hpp"
#include "billwatch/crawler/curl_global.hpp"

int main(int argc, char** argv) {
  billwatch::crawler::CurlGlobal curl;  // before any thread starts
  return billwatch::app::run_cli(argc, argv, std::cout, std::cerr);
}
