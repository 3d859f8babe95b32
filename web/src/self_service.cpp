// The subscriber's pages: subscribe with double opt-in, confirm, manage, a new manage link,
// and RFC 8058 one-click unsubscribe. What a stranger can do here is bounded: every mail
// the site sends is one a person asked for on a form, at most a few a day per address
// and a few an hour per client; answers never say whether an address is subscribed; and
// every form but the one-click POST carries a token this site signed for that form.
#include <algorithm>
#include <cctype>

#include "billwatch/core/categories.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/core/jurisdictions.hpp"
#include "billwatch/notifier/account_mail.hpp"
#include "billwatch/notifier/address.hpp"
#include "billwatch/notifier/tokens.hpp"
#include "site_detail.hpp"
#include "templates.hpp"

namespace billwatch::web {

bool ClientLimits::allow(const std::string& client, Timestamp now) {
  std::lock_guard<std::mutex> lock(m_mutex);
  // Clients not seen for an hour are dropped, so the map holds only the last hour's.
  for (auto it = m_posts.begin(); it != m_posts.end();) {
    while (!it->second.empty() && it->second.front() <= now - 3600) it->second.pop_front();
    it = it->second.empty() ? m_posts.erase(it) : std::next(it);
  }
  auto& posts = m_posts[client];
  if (static_cast<int>(posts.size()) >= m_per_hour) return false;
  posts.push_back(now);
  return true;
}

namespace detail {

namespace {

constexpr Timestamp k_day = 24 * 3600;

// A form as posted (application/x-www-form-urlencoded), names repeated as sent.
class Form {
 public:
  static std::optional<Form> parse(std::string_view body) {
    auto fields = parse_urlencoded(body);
    if (!fields) return std::nullopt;
    Form form;
    form.m_fields = std::move(*fields);
    return form;
  }
  std::string get(const std::string& name) const {
    for (const auto& [key, value] : m_fields) {
      if (key == name) return value;
    }
    return {};
  }
  std::vector<std::string> all(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : m_fields) {
      if (key == name) out.push_back(value);
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> m_fields;
};

std::string trimmed(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = trimmed(text.substr(start, end - start));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

// The pages are one person's: never cached, never indexed, their address (with its token)
// never sent to another site. Not "no-referrer": with it browsers send "Origin: null" on
// the page's own forms, and a form's origin could no longer be checked.
Response personal(Response response) {
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  response.headers.emplace_back("X-Robots-Tag", "noindex");
  return response;
}

Response page_with(const Context& context, int status, const std::string& title, Template which,
                   const data& values) {
  Response response = html_page(context, title, render(which, values));
  response.status = status;
  return personal(std::move(response));
}

// Whether the site can mail people: a secret, a sender, a place to write and links that
// may go in mails.
bool mail_offered(const Context& context) {
  return !context.options.link_secret.empty() && !context.options.mail_from.empty() &&
         context.services.mailer && context.services.desk &&
         is_site_base_url(context.options.base_url);
}

notifier::AccountMailOptions mail_options(const Context& context, const std::string& to) {
  return {context.options.mail_from, to, context.options.base_url, context.now};
}

// "https://alerts.example.org" of "https://alerts.example.org/path/".
std::string own_origin(const std::string& base_url) {
  std::size_t scheme = base_url.find("://");
  if (scheme == std::string::npos) return {};
  std::size_t path = base_url.find('/', scheme + 3);
  return base_url.substr(0, path);
}

// A form post this site's page made: not sent from another site (Sec-Fetch-Site, Origin)
// and carrying the token signed for this form and not older than a form's lifetime.
bool form_allowed(const Context& context, const Request& request, const Form& form,
                  const std::string& form_name) {
  if (request.fetch_site == "cross-site" || request.fetch_site == "same-site") return false;
  std::string origin = own_origin(context.options.base_url);
  if (!request.origin.empty() && !origin.empty() && request.origin != origin) return false;
  return notifier::verify_form_token(context.options.link_secret, form_name, form.get("form_token"),
                                     context.now, context.options.form_lifetime);
}

// A link's token checked with `verify` (notifier's verify_*_token); nullopt without a
// secret or for a token longer than any this site makes.
template <class Verify>
auto verified(const Context& context, const std::string& token, Verify verify)
    -> decltype(verify(std::string_view(), std::string_view())) {
  if (context.options.link_secret.empty() || token.empty() || token.size() > 200) return {};
  return verify(context.options.link_secret, token);
}

// The manage page's forms are signed for its subscriber and link generation: a token from
// another subscriber's page, or from a revoked link's, does not work here.
std::string manage_form(const Subscriber& subscriber) {
  return "manage:" + std::to_string(subscriber.id) + ":" +
         std::to_string(subscriber.manage_generation);
}

std::string form_token(const Context& context, const std::string& form_name) {
  return notifier::form_token(context.options.link_secret, form_name, context.now);
}

std::string frequency_html(Frequency checked) {
  list frequencies;
  for (Frequency f : {Frequency::Immediate, Frequency::Daily, Frequency::Weekly}) {
    object item{{"id", std::string(to_string(f))}};
    std::string name = notifier::describe_frequency(f);
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    item["name"] = f == Frequency::Immediate ? name : name + ", all changes in one mail";
    if (f == checked) item["checked"] = data(true);
    frequencies.push_back(item);
  }
  data values;
  values.set("frequencies", frequencies);
  return render(Template::frequency_fields, values);
}

// The choices of what to follow; `preset` is checked ("state" unless the form said).
std::string follow_html(const std::string& preset = "state", const std::string& state = "") {
  list states;
  for (const auto& j : jurisdiction_catalogue()) {
    object item{{"code", j.code}, {"name", j.name}};
    if (j.code == state) item["selected"] = data(true);
    states.push_back(item);
  }
  list categories;
  for (const auto& c : category_catalogue()) {
    categories.push_back(object{{"id", c.id}, {"name", c.name}});
  }
  list kinds;
  for (const auto& k : notifier::subscribable_kinds()) {
    kinds.push_back(object{{"id", std::string(k.id)}, {"name", std::string(k.label)}});
  }
  list stages;
  for (Stage stage : stage::k_all) {
    stages.push_back(
        object{{"id", std::string(to_string(stage))}, {"name", notifier::stage_words(stage)}});
  }
  data values;
  values.set("states", states);
  values.set("categories", categories);
  values.set("kinds", kinds);
  values.set("stages", stages);
  values.set("preset_" + (preset == "bans" || preset == "custom" ? preset : "state"), data(true));
  return render(Template::follow_fields, values);
}

// What a follow form asks for; PageError(400) naming the field that makes no sense.
SubscriptionFilter follow_from(const Form& form) {
  std::string preset = form.get("preset");
  SubscriptionFilter filter;
  if (preset == "state" || preset.empty()) {
    std::string code = form.get("state");
    if (!is_jurisdiction(code)) {
      throw PageError(400, "Choose a state (or Congress) from the list, or another option.");
    }
    filter.jurisdictions = {code};
    return filter;
  }
  if (preset == "bans") return bans_and_permissions();
  if (preset != "custom") throw PageError(400, "Choose one of the options of what to follow.");
  // Each ticked value must be one the form offers; a value ticked twice is kept once.
  auto checked = [&](const char* field, std::vector<std::string>& into, auto&& known,
                     const char* what) {
    for (const auto& value : form.all(field)) {
      if (!known(value)) {
        throw PageError(400, std::string("One of the ") + what + " is not one billwatch knows.");
      }
      if (std::find(into.begin(), into.end(), value) == into.end()) into.push_back(value);
    }
  };
  checked("jurisdiction", filter.jurisdictions, is_jurisdiction, "states");
  checked(
      "category", filter.categories,
      [](const std::string& id) { return category_info(id) != nullptr; }, "kinds of provision");
  const auto& kinds = notifier::subscribable_kinds();
  checked(
      "event", filter.events,
      [&](const std::string& id) {
        return std::any_of(kinds.begin(), kinds.end(), [&](const auto& k) { return id == k.id; });
      },
      "kinds of change");
  checked("stage", filter.stages, stage::is_stage, "stages");
  add_implied_events(filter);
  filter.bills = comma_list(form.get("bills"));
  if (filter.bills.size() > 20) throw PageError(400, "Give at most 20 bills.");
  for (auto& id : filter.bills) {
    for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool ok = id.size() <= 80 && std::all_of(id.begin(), id.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
              });
    if (!ok)
      throw PageError(400, "A bill id looks like WA-2025-HB-1795 (letters, digits and dashes).");
  }
  filter.keywords = comma_list(form.get("keywords"));
  if (filter.keywords.size() > 10) throw PageError(400, "Give at most 10 title words.");
  for (const auto& word : filter.keywords) {
    if (word.size() > 60) throw PageError(400, "A title word can be at most 60 characters.");
    if (!is_valid_utf8(word))
      throw PageError(400, "A title word has characters that are not text.");
  }
  return filter;
}

list subscription_items(const std::vector<SubscriptionFilter>& filters) {
  list items;
  for (const auto& f : filters) items.push_back(notifier::describe_subscription(f));
  return items;
}

// ---- /subscribe ----

Response subscribe_form(const Context& context, int status, const std::string& problem,
                        const std::string& preset = "state", const std::string& state = "",
                        Frequency frequency = Frequency::Immediate) {
  data values;
  if (!mail_offered(context)) {
    values.set("closed", data(true));
  } else {
    values.set("follow", follow_html(preset, state));
    values.set("frequency", frequency_html(frequency));
    values.set("form_token", form_token(context, "subscribe"));
  }
  set_text(values, "problem", problem);
  return page_with(context, status, "Get alerts by mail", Template::subscribe, values);
}

Response check_mail(const Context& context, const std::string& message) {
  data values;
  values.set("message", message);
  return page_with(context, 200, "Check your mail", Template::check_mail, values);
}

Response too_many(const Context& context) {
  Response response = error_page(context, 429,
                                 "Too many requests from your network in the last hour. "
                                 "Please try again later.",
                                 "");
  response.headers.emplace_back("Retry-After", "3600");
  return personal(std::move(response));
}

const char* const k_confirmation_sent =
    "A mail is on its way to the address you gave (unless several were sent there today "
    "already). Open the link in it within 48 hours to start your alerts. Nothing else is "
    "sent to the address until then.";

// What the two forms anyone can send (subscribe, a new link) check first, in this order:
// the form's token and origin, the client's limit, the honeypot, the address. Returns the
// answer when one of them stops the form (`again` re-renders it with a problem), else
// nullopt with `email` set.
std::optional<Response> stranger_gate(const Context& context, const Request& request,
                                      const Form& form, const std::string& name,
                                      const std::function<Response(int, const std::string&)>& again,
                                      const char* sent, std::string& email) {
  if (!form_allowed(context, request, form, name)) {
    return again(403,
                 "This form was open for a long time, or did not come from this site. Please "
                 "send it again.");
  }
  if (context.services.limits && !context.services.limits->allow(request.client, context.now)) {
    return too_many(context);
  }
  // A form filled in by a program that fills every field: answered as if sent, sends nothing.
  if (!form.get("website").empty()) return check_mail(context, sent);
  email = trimmed(form.get("email"));
  if (email.size() > 254 || !notifier::is_valid_address(email)) {
    return again(400, "That does not look like an email address. Please check it.");
  }
  return std::nullopt;
}

Response subscribe_post(const Context& context, const Request& request) {
  if (!mail_offered(context)) return subscribe_form(context, 503, "");
  auto form = Form::parse(request.body);
  if (!form)
    return subscribe_form(context, 400, "The form did not arrive whole. Please try again.");
  std::string preset = form->get("preset");
  std::string state = form->get("state");
  auto frequency =
      parse_frequency(form->get("frequency").empty() ? "immediate" : form->get("frequency"));
  auto again = [&](int status, const std::string& problem) {
    return subscribe_form(context, status, problem, preset, state,
                          frequency.value_or(Frequency::Immediate));
  };
  std::string email;
  if (auto answer =
          stranger_gate(context, request, *form, "subscribe", again, k_confirmation_sent, email))
    return *answer;
  if (!frequency) return again(400, "Choose how often to receive alerts.");
  SubscriptionFilter filter;
  try {
    filter = follow_from(*form);
  } catch (const PageError& e) {
    return again(e.status(), e.what());
  }
  std::optional<notifier::Message> mail;
  context.services.desk->with_store([&](store::Store& store) {
    // The same whether the address is subscribed or not: a request waits for its
    // confirmation either way, and an existing subscriber's alerts do not change.
    if (store.requested_mails(email, context.now - k_day) >=
        context.options.mails_per_address_per_day)
      return;
    Timestamp expires = context.now + context.options.confirmation_lifetime;
    Confirmation c = store.request_confirmation(email, filter, *frequency, context.now, expires);
    store.note_requested_mail(email, context.now);
    mail = notifier::confirmation_mail(
        mail_options(context, email), c.id,
        notifier::confirmation_token(context.options.link_secret, c.id, expires), filter,
        *frequency, expires);
  });
  if (mail) context.services.mailer->send(std::move(*mail));
  return check_mail(context, k_confirmation_sent);
}

// ---- /confirm/{token} ----

Response confirm_page(const Context& context, const Request& request, const std::string& token) {
  data values;
  auto parsed = verified(context, token, notifier::verify_confirmation_token);
  std::optional<Confirmation> request_row;
  if (parsed && context.services.desk) {
    context.services.desk->with_store(
        [&](store::Store& store) { request_row = store.confirmation(parsed->confirmation_id); });
  }
  if (!parsed || !request_row) {
    values.set("invalid", data(true));
    return page_with(context, 404, "Confirm", Template::confirm, values);
  }
  if (request_row->confirmed_at == 0 && context.now >= parsed->expires_at) {
    values.set("expired", data(true));
    return page_with(context, 410, "Confirm", Template::confirm, values);
  }
  values.set("items", subscription_items({request_row->filter}));
  values.set("frequency", notifier::describe_frequency(request_row->frequency));
  std::string form_name = "confirm:" + std::to_string(request_row->id);
  // A GET only shows the button: mail scanners open links, and must not confirm for a
  // person who never asked.
  auto ask = [&](int status) {
    values.set("ask", data(true));
    values.set("action", "/confirm/" + url_encode(token));
    values.set("form_token", form_token(context, form_name));
    return page_with(context, status, "Confirm your alerts", Template::confirm, values);
  };
  if (request_row->confirmed_at != 0) {
    values.set("done", data(true));
    return page_with(context, 200, "You are subscribed", Template::confirm, values);
  }
  if (request.method == "POST") {
    auto form = Form::parse(request.body);
    if (!form || !form_allowed(context, request, *form, form_name)) return ask(403);
    std::optional<notifier::Message> welcome;
    context.services.desk->with_store([&](store::Store& store) {
      auto subscriber = store.confirm(request_row->id, context.now);
      if (!subscriber) return;
      if (mail_offered(context)) {
        const std::string& secret = context.options.link_secret;
        welcome = notifier::welcome_mail(
            mail_options(context, subscriber->email), *subscriber,
            notifier::manage_token(secret, subscriber->id, subscriber->manage_generation),
            notifier::unsubscribe_token(secret, subscriber->id));
      }
    });
    values.set("done", data(true));
    if (welcome) {
      values.set("welcome", data(true));
      context.services.mailer->send(std::move(*welcome));
    }
    return page_with(context, 200, "You are subscribed", Template::confirm, values);
  }
  return ask(200);
}

// ---- /manage ----

// The "send me a new link" form: alone at /manage, or under a manage link that no longer
// works.
data new_link_values(const Context& context, bool heading, const std::string& problem) {
  data values;
  if (heading) values.set("heading", data(true));
  if (!mail_offered(context)) {
    values.set("closed", data(true));
  } else {
    values.set("form_token", form_token(context, "new_link"));
  }
  set_text(values, "problem", problem);
  return values;
}

Response new_link_page(const Context& context, int status, const std::string& problem) {
  return page_with(context, status, "Manage your alerts", Template::new_link,
                   new_link_values(context, true, problem));
}

const char* const k_new_link_sent =
    "If billwatch sends alerts to that address, a new link to manage them is on its way (unless "
    "several were sent there today already). Links in earlier mails no longer open the page.";

Response new_link_post(const Context& context, const Request& request) {
  if (!mail_offered(context)) return new_link_page(context, 503, "");
  auto form = Form::parse(request.body);
  if (!form) return new_link_page(context, 400, "The form did not arrive whole. Please try again.");
  auto again = [&](int status, const std::string& problem) {
    return new_link_page(context, status, problem);
  };
  std::string email;
  if (auto answer =
          stranger_gate(context, request, *form, "new_link", again, k_new_link_sent, email))
    return *answer;
  std::optional<notifier::Message> mail;
  context.services.desk->with_store([&](store::Store& store) {
    if (store.requested_mails(email, context.now - k_day) >=
        context.options.mails_per_address_per_day)
      return;
    auto subscriber = store.subscriber_by_email(email);
    if (!subscriber) return;
    auto generation = store.renew_manage_link(subscriber->id);
    if (!generation) return;
    store.note_requested_mail(email, context.now);
    mail = notifier::manage_link_mail(
        mail_options(context, subscriber->email), subscriber->id,
        notifier::manage_token(context.options.link_secret, subscriber->id, *generation));
  });
  if (mail) context.services.mailer->send(std::move(*mail));
  // The same answer whether or not the address is subscribed.
  return check_mail(context, k_new_link_sent);
}

std::string saved_notice(const std::string& saved) {
  if (saved == "frequency") return "Saved: how often you receive alerts.";
  if (saved == "paused") return "Paused.";
  if (saved == "resumed") return "Your alerts are on again.";
  if (saved == "removed") return "Removed.";
  if (saved == "added") return "Added: you now follow this too.";
  return {};
}

Response manage_view(const Context& context, const std::string& token, const Subscriber& subscriber,
                     int status, const std::string& notice, const std::string& problem) {
  std::string action = "/manage/" + url_encode(token);
  std::string field_token = form_token(context, manage_form(subscriber));
  data values;
  values.set("ok", data(true));
  values.set("action", action);
  values.set("form_token", field_token);
  list subscriptions;
  for (std::size_t i = 0; i < subscriber.subscriptions.size(); ++i) {
    subscriptions.push_back(
        object{{"text", notifier::describe_subscription(subscriber.subscriptions[i])},
               {"id", std::to_string(subscriber.subscription_ids.at(i))},
               {"action", action},
               {"form_token", field_token}});
  }
  values.set("subscriptions", subscriptions);
  if (subscriber.paused) values.set("paused", data(true));
  values.set("frequency", frequency_html(subscriber.frequency));
  values.set("follow", follow_html());
  values.set("unsubscribe", "/unsubscribe/" + notifier::unsubscribe_token(
                                                  context.options.link_secret, subscriber.id));
  set_text(values, "saved", notice);
  set_text(values, "problem", problem);
  return page_with(context, status, "Your alerts", Template::manage, values);
}

Response manage_invalid(const Context& context) {
  data values;
  values.set("invalid", data(true));
  values.set("new_link", render(Template::new_link, new_link_values(context, false, "")));
  return page_with(context, 404, "Manage your alerts", Template::manage, values);
}

Response manage_page(const Context& context, const Request& request, const Query& query,
                     const std::string& token) {
  auto parsed = verified(context, token, notifier::verify_manage_token);
  if (!parsed || !context.services.desk) return manage_invalid(context);
  std::optional<Subscriber> subscriber;
  context.services.desk->with_store(
      [&](store::Store& store) { subscriber = store.subscriber(parsed->subscriber_id); });
  // A revoked link (an older generation) is refused like a forged one.
  if (!subscriber || subscriber->manage_generation != parsed->generation) {
    return manage_invalid(context);
  }
  if (request.method != "POST") {
    return manage_view(context, token, *subscriber, 200, saved_notice(query.param("saved")), "");
  }
  auto form = Form::parse(request.body);
  if (!form || !form_allowed(context, request, *form, manage_form(*subscriber))) {
    return manage_view(context, token, *subscriber, 403, "",
                       "This page was open for a long time, or the form did not come from this "
                       "site. Nothing was changed; please try again.");
  }
  std::string action = form->get("do");
  std::string saved;
  try {
    context.services.desk->with_store([&](store::Store& store) {
      std::int64_t id = subscriber->id;
      if (action == "frequency") {
        auto frequency = parse_frequency(form->get("frequency"));
        if (!frequency) throw PageError(400, "Choose how often to receive alerts.");
        store.set_frequency(id, *frequency);
        saved = "frequency";
      } else if (action == "pause" || action == "resume") {
        store.set_paused(id, action == "pause");
        saved = action == "pause" ? "paused" : "resumed";
      } else if (action == "remove") {
        std::string which = form->get("subscription");
        bool digits = !which.empty() && which.size() <= 18 &&
                      std::all_of(which.begin(), which.end(), ::isdigit);
        if (digits) store.remove_subscription(id, std::stoll(which));
        saved = "removed";
      } else if (action == "add") {
        store.add_subscription_to(id, follow_from(*form));
        saved = "added";
      } else {
        throw PageError(400, "That is not something this page can do.");
      }
    });
  } catch (const PageError& e) {
    return manage_view(context, token, *subscriber, e.status(), "", e.what());
  }
  // Post/redirect/get: reloading the page does not send the form again.
  Response response;
  response.status = 303;
  response.headers.emplace_back("Location", "/manage/" + url_encode(token) + "?saved=" + saved);
  response.body = "Saved.\n";
  response.content_type = "text/plain; charset=utf-8";
  return personal(std::move(response));
}

// ---- /unsubscribe/{token} ----

Response unsubscribe_page(const Context& context, const std::string& token, bool post) {
  data values;
  values.set("action", "/unsubscribe/" + url_encode(token));
  auto subscriber = verified(context, token, notifier::verify_unsubscribe_token);
  if (!subscriber || !context.services.desk) {
    // Never says whether an address exists: a link is valid or it is not.
    values.set("invalid", data(true));
    return page_with(context, 404, "Unsubscribe", Template::unsubscribe, values);
  }
  if (!post) {
    values.set("ask", data(true));
    return page_with(context, 200, "Unsubscribe", Template::unsubscribe, values);
  }
  bool was_subscribed = false;
  context.services.desk->with_store(
      [&](store::Store& store) { was_subscribed = store.unsubscribe_id(*subscriber).has_value(); });
  values.set(was_subscribed ? "done" : "already", data(true));
  return page_with(context, 200, "Unsubscribed", Template::unsubscribe, values);
}

// The token of /unsubscribe/{token} (what mails link to) or /unsubscribe?token= (the
// form of earlier mails).
std::string unsubscribe_token(const Query& query) {
  if (query.segments.size() == 2) return query.segments[1];
  if (query.segments.size() == 1) return query.param("token");
  return {};
}

}  // namespace

bool is_self_service(const Query& query) {
  if (query.segments.empty()) return false;
  const std::string& first = query.segments[0];
  return first == "subscribe" || first == "confirm" || first == "manage" || first == "unsubscribe";
}

Response self_service(const Context& context, const Request& request, const Query& query) {
  const std::string& first = query.segments[0];
  bool post = request.method == "POST";
  if (request.method != "GET" && request.method != "HEAD" && !post) {
    Response response =
        error_page(context, 405, "This page takes GET and POST only.", request.request_id);
    response.headers.emplace_back("Allow", "GET, HEAD, POST");
    return response;
  }
  std::size_t segments = query.segments.size();
  if (first == "unsubscribe" && segments <= 2) {
    // RFC 8058: a mail provider POSTs "List-Unsubscribe=One-Click" to the header's URL,
    // with no cookie and no form token, and the alerts must stop at once.
    return unsubscribe_page(context, unsubscribe_token(query), post);
  }
  if (first == "subscribe" && segments == 1) {
    return post ? subscribe_post(context, request) : subscribe_form(context, 200, "");
  }
  if (first == "confirm" && segments == 2) return confirm_page(context, request, query.segments[1]);
  if (first == "manage" && segments == 1) {
    return post ? new_link_post(context, request) : new_link_page(context, 200, "");
  }
  if (first == "manage" && segments == 2) {
    return manage_page(context, request, query, query.segments[1]);
  }
  throw PageError(404, "There is no such page.");
}

}  // namespace detail

}  // namespace billwatch::web
