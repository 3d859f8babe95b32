#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace billwatch::sources {

// The one decision of which bills a source follows (stores with their versions, and
// alerts on): a bill once followed stays followed (its source item is marked tracked, so
// an amendment that drops the topic's words is still seen), a bill the operator lists in
// `track` is followed, and any other bill is followed when its title and summary pass
// the relevance screen with the source's topic terms. Bills not followed are counted as
// off topic and not fetched further.
class FollowRule {
 public:
  FollowRule(const std::vector<std::string>& track, const std::vector<std::string>& topic_terms)
      : m_track(track.begin(), track.end()), m_topic_terms(topic_terms) {}

  bool in_track(const std::string& bill_id) const { return m_track.count(bill_id) > 0; }

  // Followed before, or listed: what is known without reading the bill's words.
  bool known(bool followed_before, const std::string& bill_id) const {
    return followed_before || in_track(bill_id);
  }

  bool follows(bool followed_before, const std::string& bill_id, std::string_view title,
               std::string_view summary) const;

 private:
  std::set<std::string> m_track;
  std::vector<std::string> m_topic_terms;
};

}  // namespace billwatch::sources
