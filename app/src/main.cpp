#include <sys/stat.h>

#include <iostream>

#include "billwatch/app/cli.hpp"
#include "billwatch/crawler/curl_global.hpp"

int main(int argc, char** argv) {
  // Everything billwatch creates (the database with subscribers' addresses, its journal,
  // the unsubscribe secret, exports, backups) is its owner's alone, whatever umask cron or
  // a shell left: files 0600, directories 0700.
  ::umask(077);
  billwatch::crawler::CurlGlobal curl;  // before any thread starts
  return billwatch::app::run_cli(argc, argv, std::cout, std::cerr);
}
