#include "billwatch/crawler/curl_http_client.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <random>
#include <stdexcept>

#include "billwatch/core/clock.hpp"
#include "billwatch/crawler/fetch_policy.hpp"
#include "billwatch/crawler/robots.hpp"
#include "curl_transfer.hpp"

namespace billwatch::crawler {

namespace {

using detail::Transfer;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct CurlMultiDeleter {
  void operator()(CURLM* p) const noexcept { curl_multi_cleanup(p); }
};
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;

void check(CURLMcode code, const char* what) {
  if (code != CURLM_OK) {
    throw std::runtime_error(std::string("libcurl multi: ") + what +
                             " failed: " + curl_multi_strerror(code));
  }
}

// The parts of a URL the scheduler needs: the origin (robots.txt and politeness are per
// origin) and the path robots.txt rules match against.
struct UrlParts {
  std::string origin;  // "https://app.leg.wa.gov:443"
  std::string host;    // "app.leg.wa.gov"
  std::string path;    // "/billsummary?BillNumber=1795"
};

std::optional<UrlParts> split_url(const std::string& url) {
  std::unique_ptr<CURLU, void (*)(CURLU*)> handle(curl_url(), curl_url_cleanup);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  auto get = [&](CURLUPart part, unsigned flags) -> std::optional<std::string> {
    char* value = nullptr;
    if (curl_url_get(handle.get(), part, &value, flags) != CURLUE_OK) return std::nullopt;
    std::string out(value);
    curl_free(value);
    return out;
  };
  auto scheme = get(CURLUPART_SCHEME, 0);
  auto host = get(CURLUPART_HOST, 0);
  auto port = get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!scheme || !host || !port || (*scheme != "http" && *scheme != "https")) return std::nullopt;
  UrlParts parts{*scheme + "://" + *host + ":" + *port, *host,
                 get(CURLUPART_PATH, 0).value_or("/")};
  if (auto query = get(CURLUPART_QUERY, 0)) parts.path += "?" + *query;
  return parts;
}

enum class RobotsState { Unknown, Fetching, Ready };

struct Host {
  std::string origin;
  std::string name;
  std::deque<std::size_t> queue;  // items ready to start, in order
  int in_flight = 0;
  int limit = 1;
  milliseconds delay{0};
  Clock::time_point last_start{};
  Clock::time_point next_start{};
  RobotsState robots = RobotsState::Unknown;
  RobotsRules rules;
};

struct Item {
  FetchRequest request;  // what is sent next: the caller's, or a redirect's target
  Host* host = nullptr;
  std::string path;
  int attempts = 0;
  int redirects = 0;
  Clock::time_point ready_at{};
};

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

constexpr std::size_t k_robots_item = static_cast<std::size_t>(-1);

class Engine {
 public:
  Engine(const HttpOptions& options, std::map<std::string, CurlHttpClient::RobotsMemo>& robots,
         const std::vector<FetchRequest>& requests, const OutcomeHandler& handler,
         FetchObserver* observer)
      : m_options(options),
        m_robots_memo(robots),
        m_handler(handler),
        m_observer(observer),
        m_items(requests.size()),
        m_random(options.jitter_seed ? options.jitter_seed : std::random_device{}()) {
    m_multi.reset(curl_multi_init());
    if (!m_multi) throw std::runtime_error("libcurl: curl_multi_init failed");
    for (std::size_t i = 0; i < requests.size(); ++i) {
      m_items[i].request = requests[i];
      auto parts = split_url(requests[i].url);
      if (!parts) {
        finish(i, FetchFailure{false, 0, "not an http:// or https:// URL", FailureKind::BadUrl, 0});
        continue;
      }
      Host& host = host_for(*parts);
      m_items[i].host = &host;
      m_items[i].path = parts->path;
      host.queue.push_back(i);
    }
  }

  ~Engine() {
    // Transfers still attached when a handler threw: detach before the multi is cleaned up.
    for (auto& transfer : m_transfers) {
      curl_multi_remove_handle(m_multi.get(), transfer->easy.get());
    }
  }

  FetchStats run() {
    // Our scheduler enforces the limits; libcurl only keeps enough connections cached to
    // reuse them.
    check(curl_multi_setopt(m_multi.get(), CURLMOPT_MAXCONNECTS,
                            static_cast<long>(m_options.max_connections)),
          "MAXCONNECTS");
    report_progress();
    while (m_done < m_items.size()) {
      Clock::time_point now = Clock::now();
      release_due_retries(now);
      start_ready_transfers(now);
      int running = 0;
      check(curl_multi_perform(m_multi.get(), &running), "perform");
      collect_finished();
      if (m_done == m_items.size()) break;
      check(curl_multi_poll(m_multi.get(), nullptr, 0, poll_timeout_ms(), nullptr), "poll");
    }
    return m_stats;
  }

 private:
  Host& host_for(const UrlParts& parts) {
    auto it = m_hosts.find(parts.origin);
    if (it != m_hosts.end()) return it->second;
    Host& host = m_hosts[parts.origin];
    host.origin = parts.origin;
    host.name = parts.host;
    host.limit = m_options.per_host_concurrency;
    host.delay = milliseconds(m_options.min_delay_ms);
    if (auto policy = m_options.hosts.find(parts.host); policy != m_options.hosts.end()) {
      if (policy->second.per_host_concurrency > 0) host.limit = policy->second.per_host_concurrency;
      if (policy->second.min_delay_ms >= 0) host.delay = milliseconds(policy->second.min_delay_ms);
    }
    if (!m_options.respect_robots) {
      host.robots = RobotsState::Ready;
    } else if (auto memo = m_robots_memo.find(parts.origin); memo != m_robots_memo.end()) {
      apply_robots(host, memo->second.body);
    }
    return host;
  }

  void finish(std::size_t index, FetchOutcome outcome) {
    if (auto* failure = std::get_if<FetchFailure>(&outcome)) {
      ++m_failed;
      if (failure->kind == FailureKind::Blocked) ++m_stats.blocked;
      if (failure->kind == FailureKind::Robots) ++m_stats.robots_skipped;
    }
    ++m_done;
    m_handler(index, std::move(outcome));
    report_progress();
  }

  void report_progress() {
    if (m_observer) {
      m_observer->on_progress(m_done, m_items.size(), m_stats.bytes_downloaded, m_failed);
    }
  }

  void release_due_retries(Clock::time_point now) {
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
      Item& item = m_items[*it];
      if (item.ready_at <= now) {
        item.host->queue.push_front(*it);
        it = m_waiting.erase(it);
      } else {
        ++it;
      }
    }
  }

  bool can_start(const Host& host, Clock::time_point now) const {
    return m_in_flight < m_options.max_connections && host.in_flight < host.limit &&
           now >= host.next_start;
  }

  void start(Host& host, std::size_t item, const FetchRequest& request, Clock::time_point now) {
    auto transfer = detail::make_transfer(request, m_options);
    transfer->item = item;
    check(curl_multi_add_handle(m_multi.get(), transfer->easy.get()), "add_handle");
    if (item == k_robots_item) m_robots_hosts[transfer->easy.get()] = &host;
    m_transfers.push_back(std::move(transfer));
    ++host.in_flight;
    ++m_in_flight;
    ++m_stats.requests;
    host.last_start = now;
    host.next_start = now + host.delay;
  }

  void start_ready_transfers(Clock::time_point now) {
    for (auto& [origin, host] : m_hosts) {
      if (host.robots == RobotsState::Unknown) {
        if (host.queue.empty() || !can_start(host, now)) continue;
        host.robots = RobotsState::Fetching;
        start(host, k_robots_item, FetchRequest{host.origin + "/robots.txt", "", "", {}}, now);
        continue;
      }
      if (host.robots == RobotsState::Fetching) continue;
      while (!host.queue.empty() && can_start(host, now)) {
        std::size_t index = host.queue.front();
        host.queue.pop_front();
        Item& item = m_items[index];
        if (!host.rules.allowed(item.path)) {
          finish(index, FetchFailure{false, 0,
                                     "robots.txt of " + host.name + " disallows this URL for " +
                                         product_token(m_options.user_agent) + "; skipped",
                                     FailureKind::Robots, 0});
          continue;
        }
        ++item.attempts;
        start(host, index, item.request, now);
      }
    }
  }

  void collect_finished() {
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(m_multi.get(), &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* raw = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &raw);
      raw->result = message->data.result;
      curl_multi_remove_handle(m_multi.get(), message->easy_handle);
      auto it = std::find_if(m_transfers.begin(), m_transfers.end(),
                             [raw](const auto& t) { return t.get() == raw; });
      std::unique_ptr<Transfer> transfer = std::move(*it);
      m_transfers.erase(it);
      m_stats.bytes_downloaded += detail::bytes_received(*transfer);
      m_stats.connections += detail::connections_opened(*transfer);
      --m_in_flight;
      if (transfer->item == k_robots_item) {
        on_robots_done(*transfer);
      } else {
        on_item_done(*transfer);
      }
    }
  }

  void on_robots_done(Transfer& transfer) {
    Host& host = *m_robots_hosts.at(transfer.easy.get());
    m_robots_hosts.erase(transfer.easy.get());
    --host.in_flight;
    FetchOutcome outcome = detail::outcome_of(transfer, m_options);
    if (auto* fetched = std::get_if<Fetched>(&outcome)) {
      apply_robots(host, fetched->body);
      m_robots_memo[host.origin] = CurlHttpClient::RobotsMemo{fetched->body};
    } else if (auto* failure = std::get_if<FetchFailure>(&outcome)) {
      // RFC 9309 §2.3.1: a missing robots.txt (4xx) allows everything; an unreachable one
      // (5xx, network) means "assume complete disallow" until it can be read.
      if (failure->http_status >= 400 && failure->http_status < 500) {
        apply_robots(host, "");
        m_robots_memo[host.origin] = CurlHttpClient::RobotsMemo{};
      } else if (failure->kind == FailureKind::Refused) {
        // The policy refuses the host itself: its pages are refused in the same words.
        host.robots = RobotsState::Ready;
        while (!host.queue.empty()) {
          std::size_t index = host.queue.front();
          host.queue.pop_front();
          finish(index, FetchFailure{false, 0, failure->message, FailureKind::Refused, 0});
        }
      } else {
        host.robots = RobotsState::Ready;
        std::string why = failure->message;
        while (!host.queue.empty()) {
          std::size_t index = host.queue.front();
          host.queue.pop_front();
          finish(index, FetchFailure{true, failure->http_status,
                                     "robots.txt of " + host.name + " could not be read (" + why +
                                         "); not crawled, to be polite",
                                     failure->kind, 0});
        }
      }
    } else {
      apply_robots(host, "");  // a 304 to a request without validators: nothing to obey
    }
  }

  void apply_robots(Host& host, const std::string& body) {
    host.robots = RobotsState::Ready;
    host.rules = RobotsRules::parse(body, product_token(m_options.user_agent));
    if (auto delay = host.rules.crawl_delay()) {
      auto capped = std::min(*delay, static_cast<double>(m_options.max_crawl_delay_s));
      host.delay = std::max(host.delay, milliseconds(static_cast<long>(capped * 1000)));
      host.next_start = host.last_start + host.delay;  // robots.txt itself counts
    }
  }

  // A redirect is followed as a request of its own: the new host gets its robots.txt read,
  // its politeness and the outbound policy; headers (API keys) stay with the host they
  // were meant for and are dropped when the host changes or https becomes http.
  bool follow_redirect(Transfer& transfer, std::size_t index) {
    long status = 0;
    curl_easy_getinfo(transfer.easy.get(), CURLINFO_RESPONSE_CODE, &status);
    char* location = nullptr;
    curl_easy_getinfo(transfer.easy.get(), CURLINFO_REDIRECT_URL, &location);
    if (transfer.result != CURLE_OK || !is_redirect(status) || !location) return false;
    Item& item = m_items[index];
    std::string target = location;
    if (++item.redirects > m_options.max_redirects) {
      finish(index,
             FetchFailure{false, static_cast<int>(status),
                          "more than " + std::to_string(m_options.max_redirects) + " redirects",
                          FailureKind::Redirects, item.attempts});
      return true;
    }
    auto parts = split_url(target);
    if (!parts) {
      finish(index, FetchFailure{false, static_cast<int>(status),
                                 "redirected to a URL that is not http:// or https://",
                                 FailureKind::BadUrl, item.attempts});
      return true;
    }
    bool same_host = item.host->name == parts->host;
    bool downgrade = item.request.url.rfind("https:", 0) == 0 && target.rfind("http:", 0) == 0;
    if (!same_host || downgrade) item.request.headers.clear();
    // Validators belong to the URL they were stored for.
    item.request.etag.clear();
    item.request.last_modified.clear();
    item.request.url = target;
    --item.attempts;  // a hop is not an attempt: retries count failures
    Host& host = host_for(*parts);
    item.host = &host;
    item.path = parts->path;
    host.queue.push_back(index);
    return true;
  }

  void on_item_done(Transfer& transfer) {
    std::size_t index = transfer.item;
    Item& item = m_items[index];
    --item.host->in_flight;
    if (follow_redirect(transfer, index)) return;
    FetchOutcome outcome = detail::outcome_of(transfer, m_options);

    if (auto* fetched = std::get_if<Fetched>(&outcome)) {
      if (auto why = detect_block(fetched->http_status, transfer.server, transfer.cf_mitigated,
                                  fetched->body)) {
        finish(index, FetchFailure{false, fetched->http_status, "blocked: " + *why,
                                   FailureKind::Blocked, item.attempts});
        return;
      }
      finish(index, std::move(outcome));
      return;
    }
    auto* failure = std::get_if<FetchFailure>(&outcome);
    if (!failure) {
      finish(index, std::move(outcome));
      return;
    }
    failure->attempts = item.attempts;
    if (failure->kind == FailureKind::Http && failure->http_status == 403) {
      if (auto why = detect_block(403, transfer.server, transfer.cf_mitigated, transfer.body)) {
        finish(index,
               FetchFailure{false, 403, "blocked: " + *why, FailureKind::Blocked, item.attempts});
        return;
      }
    }
    if (!failure->transient || item.attempts > m_options.max_retries) {
      if (item.attempts > 1)
        failure->message += " (after " + std::to_string(item.attempts) + " attempts)";
      finish(index, std::move(outcome));
      return;
    }
    milliseconds wait = next_backoff(item.attempts);
    if (!transfer.retry_after.empty()) {
      auto seconds = parse_retry_after(transfer.retry_after, SystemClock().now());
      if (seconds && *seconds > m_options.max_retry_after_s) {
        failure->message += "; the server asks to retry after " + std::to_string(*seconds) +
                            " s, longer than max_retry_after_s: will try again next run";
        finish(index, std::move(outcome));
        return;
      }
      if (seconds) wait = std::max(wait, milliseconds(*seconds * 1000));
    }
    ++m_stats.retries;
    item.ready_at = Clock::now() + wait;
    m_waiting.push_back(index);
  }

  milliseconds next_backoff(int attempt) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    return backoff_delay(attempt, milliseconds(m_options.retry_base_ms),
                         milliseconds(m_options.retry_cap_ms), unit(m_random));
  }

  // Until the next thing that can happen without network activity: a retry coming due or
  // a host's delay running out. At most 1 s, so that progress keeps being reported.
  int poll_timeout_ms() const {
    Clock::time_point now = Clock::now();
    Clock::time_point next = now + milliseconds(1000);
    for (std::size_t index : m_waiting) next = std::min(next, m_items[index].ready_at);
    // Only a host that could start a request but for its delay sets the wake-up time; one
    // at its concurrency limit waits for a transfer to finish, which wakes the poll anyway.
    bool has_capacity = m_in_flight < m_options.max_connections;
    for (const auto& [origin, host] : m_hosts) {
      if (has_capacity && !host.queue.empty() && host.robots != RobotsState::Fetching &&
          host.in_flight < host.limit) {
        next = std::min(next, std::max(now, host.next_start));
      }
    }
    auto ms = std::chrono::duration_cast<milliseconds>(next - now).count();
    return static_cast<int>(std::clamp<long long>(ms, 0, 1000));
  }

  const HttpOptions& m_options;
  std::map<std::string, CurlHttpClient::RobotsMemo>& m_robots_memo;
  const OutcomeHandler& m_handler;
  FetchObserver* m_observer;
  std::vector<Item> m_items;
  std::map<std::string, Host> m_hosts;
  std::vector<std::unique_ptr<Transfer>> m_transfers;
  std::map<CURL*, Host*> m_robots_hosts;
  std::vector<std::size_t> m_waiting;
  CurlMulti m_multi;
  std::mt19937_64 m_random;
  FetchStats m_stats;
  std::size_t m_done = 0;
  std::size_t m_failed = 0;
  int m_in_flight = 0;
};

}  // namespace

CurlHttpClient::CurlHttpClient(HttpOptions options) : m_options(std::move(options)) {}

FetchStats CurlHttpClient::fetch_each(const std::vector<FetchRequest>& requests,
                                      const OutcomeHandler& handler, FetchObserver* observer) {
  return Engine(m_options, m_robots, requests, handler, observer).run();
}

FetchResults HttpClient::fetch_all(const std::vector<FetchRequest>& requests,
                                   FetchObserver* observer) {
  std::vector<std::optional<FetchOutcome>> outcomes(requests.size());
  FetchResults results;
  results.stats = fetch_each(
      requests,
      [&](std::size_t index, FetchOutcome&& outcome) { outcomes[index] = std::move(outcome); },
      observer);
  for (auto& outcome : outcomes) results.outcomes.push_back(std::move(*outcome));
  return results;
}

}  // namespace billwatch::crawler
