#include "common/following.hpp"

#include "billwatch/analysis/relevance.hpp"

namespace billwatch::sources {

bool FollowRule::follows(bool followed_before, const std::string& bill_id, std::string_view title,
                         std::string_view summary) const {
  if (known(followed_before, bill_id)) return true;
  return analysis::screen_topic(std::string(title), std::string(summary), m_topic_terms).relevant;
}

}  // namespace billwatch::sources
