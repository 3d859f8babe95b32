#include "billwatch/core/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace billwatch {

std::string sha256_bytes(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 computation failed in OpenSSL");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string sha256_hex(std::string_view data) {
  static const char k_hex[] = "0123456789abcdef";
  std::string digest = sha256_bytes(data);
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char c : digest) {
    out.push_back(k_hex[c >> 4]);
    out.push_back(k_hex[c & 0x0f]);
  }
  return out;
}

}  // namespace billwatch

namespace billwatch {

std::string base64_encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // OpenSSL's streaming decoder skips line breaks and whitespace and checks padding.
  std::unique_ptr<EVP_ENCODE_CTX, decltype(&EVP_ENCODE_CTX_free)> ctx(EVP_ENCODE_CTX_new(),
                                                                      EVP_ENCODE_CTX_free);
  if (!ctx) throw std::runtime_error("OpenSSL: EVP_ENCODE_CTX_new failed");
  EVP_DecodeInit(ctx.get());
  std::string out;
  out.resize(text.size() / 4 * 3 + 3);
  std::size_t written = 0;
  // EVP_DecodeUpdate takes an int length: feed large documents in pieces.
  constexpr std::size_t k_chunk = 1 << 20;
  for (std::size_t at = 0; at < text.size(); at += k_chunk) {
    std::size_t n = std::min(k_chunk, text.size() - at);
    int produced = 0;
    if (EVP_DecodeUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data() + written),
                         &produced, reinterpret_cast<const unsigned char*>(text.data() + at),
                         static_cast<int>(n)) < 0) {
      return std::nullopt;
    }
    written += static_cast<std::size_t>(produced);
  }
  int produced = 0;
  if (EVP_DecodeFinal(ctx.get(), reinterpret_cast<unsigned char*>(out.data() + written),
                      &produced) < 0) {
    return std::nullopt;
  }
  written += static_cast<std::size_t>(produced);
  out.resize(written);
  return out;
}

namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
  static const char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += k_hex[data[i] >> 4];
    out += k_hex[data[i] & 15];
  }
  return out;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length)) {
    throw std::runtime_error("OpenSSL: HMAC failed");
  }
  return to_hex(digest, length);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_hex(std::size_t bytes) {
  std::string buffer(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buffer.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("OpenSSL: no random bytes");
  }
  return to_hex(reinterpret_cast<const unsigned char*>(buffer.data()), bytes);
}

}  // namespace billwatch
