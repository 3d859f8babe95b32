#include "billwatch/crawler/curl_global.hpp"

#include <curl/curl.h>

#include <stdexcept>

namespace billwatch::crawler {

CurlGlobal::CurlGlobal() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    throw std::runtime_error("libcurl global initialisation failed");
  }
}

CurlGlobal::~CurlGlobal() {
  curl_global_cleanup();
}

}  // namespace billwatch::crawler
