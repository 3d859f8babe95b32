#include "billwatch/crawler/pdf_text.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <climits>
#include <memory>

#include "billwatch/crawler/isolated.hpp"

namespace billwatch::crawler {

namespace {

// poppler reports problems of hostile or damaged files on stderr by default; keep the
// first one for the error message instead.
void remember_error(const std::string& message, void* closure) {
  auto* first = static_cast<std::string*>(closure);
  if (first->empty()) *first = message;
}

void ignore_error(const std::string&, void*) {}

// poppler reports errors whenever it meets them (loading, counting pages, reading a
// page), not only while loading: the handler must stay valid for the whole extraction
// and be replaced, not left pointing at a dead string, when it ends.
class ErrorCapture {
 public:
  ErrorCapture() { poppler::set_debug_error_function(remember_error, &m_first); }
  ~ErrorCapture() { poppler::set_debug_error_function(ignore_error, nullptr); }
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;
  const std::string& first() const { return m_first; }

 private:
  std::string m_first;
};

}  // namespace

Result<std::string> pdf_to_text(std::string_view bytes, std::size_t max_pages) {
  return run_isolated("PDF text extraction",
                      [&] { return pdf_to_text_in_process(bytes, max_pages); });
}

Result<std::string> pdf_to_text_in_process(std::string_view bytes, std::size_t max_pages) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return Failure{"the PDF is too large"};
  ErrorCapture errors;
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!document) {
    return Failure{"not a readable PDF document" +
                   (errors.first().empty() ? std::string() : " (" + errors.first() + ")")};
  }
  if (document->is_locked()) return Failure{"the PDF is encrypted"};
  int pages = document->pages();
  if (pages < 0 || static_cast<std::size_t>(pages) > max_pages) {
    return Failure{"the PDF has " + std::to_string(pages) + " pages, more than " +
                   std::to_string(max_pages) + "; not read"};
  }
  std::string text;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(document->create_page(i));
    if (!page) continue;
    poppler::byte_array utf8 =
        page->text(page->page_rect(), poppler::page::physical_layout).to_utf8();
    if (!text.empty()) text += "\n\n";
    text.append(utf8.begin(), utf8.end());
  }
  if (text.find_first_not_of(" \n\r\t\f") == std::string::npos) {
    // A damaged file also ends here: say what poppler met, if anything.
    if (!errors.first().empty())
      return Failure{"the PDF has no readable text (" + errors.first() + ")"};
    return Failure{"the PDF has no text layer (a scanned document?)"};
  }
  return text;
}

}  // namespace billwatch::crawler
