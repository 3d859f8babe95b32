#pragma once
// The site's templates (Mustache, HTML-escaping every {{value}}; {{{html}}} only for
// markup the site itself rendered) and its one stylesheet, compiled in: one binary,
// nothing to install beside it.
#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace billwatch::web::detail {

using kainjow::mustache::data;
using kainjow::mustache::list;
using kainjow::mustache::object;

enum class Template {
  layout,
  home,
  bills,
  bill,
  version,
  diff,
  search,
  about,
  error,
  atom,
  // The subscriber's pages (self_service_templates.cpp).
  subscribe,
  follow_fields,
  frequency_fields,
  check_mail,
  confirm,
  manage,
  new_link,
  unsubscribe,
};

// The source of a subscriber's page template (self_service_templates.cpp).
std::string_view self_service_template(Template which);

// Renders one template with `values`; throws std::logic_error when a template does not
// parse (a programming error, caught by the tests).
std::string render(Template which, const data& values);

// A whole page: the layout around `content_html` (rendered by render()).
std::string page(const std::string& site_name, const std::string& title,
                 const std::string& content_html);

// Sets `key` only when `value` is not empty: an empty string is still "true" to a
// {{#section}}, and a page must not show a label with nothing after it.
void set_text(data& values, const std::string& key, const std::string& value);
void set_text(object& values, const std::string& key, const std::string& value);

extern const std::string_view k_stylesheet;
extern const std::string_view k_favicon;

}  // namespace billwatch::web::detail
