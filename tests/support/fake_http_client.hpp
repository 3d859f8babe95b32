#pragma once

#include <functional>
#include <string>
#include <vector>

#include "billwatch/crawler/http_client.hpp"

namespace billwatch::test {

// An HttpClient that answers from a script instead of the network: each rule is a part of
// the URL and the outcome for URLs containing it (the first rule that matches answers);
// anything else is a 404. It records every request. For fast unit tests of sources; the
// real client is tested against loopback servers (http_client_test and the integration
// tests of each source).
class FakeHttpClient final : public crawler::HttpClient {
 public:
  void answer(std::string url_part, crawler::FetchOutcome outcome) {
    m_rules.push_back({std::move(url_part), std::move(outcome)});
  }
  void answer_body(std::string url_part, std::string body,
                   std::string content_type = "text/html; charset=utf-8") {
    crawler::Fetched fetched;
    fetched.body = std::move(body);
    fetched.content_type = std::move(content_type);
    answer(std::move(url_part), std::move(fetched));
  }
  void clear() { m_rules.clear(); }

  crawler::FetchStats fetch_each(const std::vector<crawler::FetchRequest>& batch,
                                 const crawler::OutcomeHandler& handler,
                                 crawler::FetchObserver* = nullptr) override {
    crawler::FetchStats stats;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      requests.push_back(batch[i]);
      ++stats.requests;
      handler(i, outcome_for(batch[i]));
    }
    return stats;
  }

  std::vector<crawler::FetchRequest> requests;  // every request, in order

  // Requests whose URL contains `part`.
  int count(const std::string& part) const {
    int n = 0;
    for (const auto& r : requests) n += r.url.find(part) != std::string::npos;
    return n;
  }

 private:
  crawler::FetchOutcome outcome_for(const crawler::FetchRequest& request) const {
    for (const auto& rule : m_rules) {
      if (request.url.find(rule.part) == std::string::npos) continue;
      crawler::FetchOutcome outcome = rule.outcome;
      if (auto* fetched = std::get_if<crawler::Fetched>(&outcome)) {
        fetched->final_url = request.url;
        // A page fetched with its own validators is as it was: 304.
        if (!request.etag.empty() && request.etag == fetched->etag) {
          return crawler::NotModified{request.url};
        }
      }
      return outcome;
    }
    crawler::FetchFailure missing;
    missing.http_status = 404;
    missing.kind = crawler::FailureKind::Http;
    missing.message = "HTTP 404";
    return missing;
  }

  struct Rule {
    std::string part;
    crawler::FetchOutcome outcome;
  };
  std::vector<Rule> m_rules;
};

}  // namespace billwatch::test
