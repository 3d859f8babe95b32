#include "billwatch/crawler/page_text.hpp"

#include <algorithm>
#include <cctype>

#include "billwatch/core/escape.hpp"
#include "billwatch/crawler/charset.hpp"
#include "billwatch/crawler/html_text.hpp"
#include "billwatch/crawler/pdf_text.hpp"
#include "billwatch/crawler/print_layout.hpp"

namespace billwatch::crawler {

namespace {

std::string media_type(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  type.erase(
      std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }),
      type.end());
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string url_path(std::string_view url) {
  std::string path(url.substr(0, url.find_first_of("?#")));
  std::transform(path.begin(), path.end(), path.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return path;
}

bool looks_like_html(std::string_view body) {
  std::string head(body.substr(0, 512));
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return head.find("<!doctype html") != std::string::npos ||
         head.find("<html") != std::string::npos || head.find("<body") != std::string::npos;
}

bool is_binary_type(const std::string& type) {
  return type.rfind("image/", 0) == 0 || type.rfind("audio/", 0) == 0 ||
         type.rfind("video/", 0) == 0 || type == "application/octet-stream" ||
         type == "application/zip" || type == "application/gzip" || type == "application/msword" ||
         type.find("officedocument") != std::string::npos;
}

Result<PageFormat> detect_format(std::string_view body, const std::string& type,
                                 std::string_view url) {
  if (type == "application/pdf" || body.substr(0, 5) == "%PDF-") return PageFormat::Pdf;
  std::string lowered_path = url_path(url);
  if (type == "application/xml" || type == "text/xml" || ends_with(lowered_path, ".xml") ||
      body.substr(0, 5) == "<?xml") {
    return PageFormat::Xml;
  }
  if (is_binary_type(type)) {
    return Failure{"the response is binary content (" + type + "), not a text page",
                   FailureCode::Malformed};
  }
  if (body.substr(0, 8192).find('\0') != std::string_view::npos) {
    return Failure{"the response is binary content (NUL bytes in the body" +
                       (type.empty() ? std::string() : ", declared " + type) + "), not a text page",
                   FailureCode::Malformed};
  }
  if (type == "text/html" || type == "application/xhtml+xml") return PageFormat::Html;
  if (type == "text/markdown" || type == "text/x-markdown") return PageFormat::Markdown;
  std::string path = url_path(url);
  if (type.empty() || type == "text/plain") {
    if (ends_with(path, ".md") || ends_with(path, ".markdown")) return PageFormat::Markdown;
    if (ends_with(path, ".htm") || ends_with(path, ".html") || looks_like_html(body)) {
      return PageFormat::Html;
    }
    return PageFormat::PlainText;
  }
  if (type.rfind("text/", 0) == 0) return PageFormat::PlainText;
  return Failure{"unsupported content type '" + type + "'; this source reads HTML and text pages",
                 FailureCode::Malformed};
}

std::string describe_invalid(const DecodedText& decoded, const std::string& charset) {
  return std::to_string(decoded.invalid_bytes) + " byte(s) invalid in " + charset +
         ", the first at byte " + std::to_string(decoded.first_invalid);
}

Result<DecodedText> decode(std::string_view body, std::string_view content_type, PageFormat format,
                           std::string& charset) {
  charset = charset_from_content_type(content_type);
  if (charset.empty() && format == PageFormat::Html) charset = sniff_meta_charset(body);
  if (charset == "utf8") charset = "utf-8";
  // The WHATWG Encoding Standard reads these labels as windows-1252, whose 0x80-0x9F are the
  // curly quotes and dashes legislature pages are full of; iconv's ISO-8859-1 would make them
  // invisible C1 controls.
  if (charset == "iso-8859-1" || charset == "iso8859-1" || charset == "latin1" || charset == "l1" ||
      charset == "us-ascii" || charset == "ascii") {
    charset = "windows-1252";
  }
  if (charset.empty()) {
    charset = find_invalid_utf8(body) == std::string_view::npos ? "utf-8" : "windows-1252";
  }
  auto decoded = decode_to_utf8(body, charset);
  if (!decoded)
    return Failure{"cannot decode the page: " + decoded.error(), FailureCode::Malformed};
  const DecodedText& text = decoded.value();
  // A few stray bytes are a sloppy page; a large share means the charset is wrong or the
  // body is not text at all, and storing a page of U+FFFD would be a false change.
  if (text.invalid_bytes >= 16 &&
      static_cast<double>(text.invalid_bytes) > k_max_invalid_share * body.size()) {
    return Failure{"the page is not text in its charset: " + describe_invalid(text, charset),
                   FailureCode::Malformed};
  }
  return decoded;
}

std::string first_line_title(const std::string& text, bool markdown) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    if (markdown) {
      if (line.rfind("# ", 0) == 0) return std::string(line.substr(2));
    } else if (!line.empty()) {
      return utf8_truncate(line, 200);
    }
    pos = end + 1;
  }
  return {};
}

}  // namespace

std::string normalize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t blank_lines = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    std::size_t last = line.find_last_not_of(" \t\r\f\v");
    line = last == std::string_view::npos ? std::string_view() : line.substr(0, last + 1);
    if (line.empty()) {
      ++blank_lines;
    } else {
      if (!out.empty()) out.append(blank_lines > 0 ? "\n\n" : "\n");
      out.append(line);
      blank_lines = 0;
    }
    pos = end + 1;
  }
  return out;
}

Result<PageHtml> page_html(std::string_view body, std::string_view content_type,
                           std::string_view url) {
  std::string type = media_type(content_type);
  auto format = detect_format(body, type, url);
  if (!format) return format.failure();
  if (format.value() != PageFormat::Html) {
    return Failure{
        "selectors read HTML pages; this one is " + std::string(type.empty() ? "not HTML" : type),
        FailureCode::Malformed};
  }
  std::string charset;
  auto decoded = decode(body, content_type, format.value(), charset);
  if (!decoded) return decoded.failure();
  PageHtml page;
  if (decoded.value().invalid_bytes > 0) {
    page.warning = "replaced " + describe_invalid(decoded.value(), charset) + " with U+FFFD";
  }
  page.html = std::move(decoded.value().text);
  return page;
}

Result<PageText> page_to_text(std::string_view body, std::string_view content_type,
                              std::string_view url) {
  std::string type = media_type(content_type);
  auto format = detect_format(body, type, url);
  if (!format) return format.failure();
  if (format.value() == PageFormat::Pdf) {
    auto text = pdf_to_text(body);
    if (!text) return Failure{"cannot read the PDF: " + text.error(), FailureCode::Malformed};
    PageText page;
    page.format = PageFormat::Pdf;
    page.text = remove_print_layout(normalize_text(text.value()));
    page.title = first_line_title(page.text, false);
    return page;
  }
  std::string charset;
  auto decoded = decode(body, content_type, format.value(), charset);
  if (!decoded) return decoded.failure();
  const std::string& utf8 = decoded.value().text;

  PageText page;
  page.format = format.value();
  if (decoded.value().invalid_bytes > 0) {
    page.warning = "replaced " + describe_invalid(decoded.value(), charset) + " with U+FFFD";
  }
  if (page.format == PageFormat::Html || page.format == PageFormat::Xml) {
    auto html = page.format == PageFormat::Xml ? bill_xml_to_text(utf8) : html_to_text(utf8);
    if (!html) return html.failure();
    page.title = std::move(html.value().title);
    page.text = remove_print_layout(normalize_text(html.value().text));
  } else {
    page.text = remove_print_layout(normalize_text(utf8));
    page.title = first_line_title(page.text, page.format == PageFormat::Markdown);
  }
  if (page.text.empty()) return Failure{"the page has no text", FailureCode::Malformed};
  return page;
}

}  // namespace billwatch::crawler
