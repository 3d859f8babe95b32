#include "clauses.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "cues.hpp"
#include "sections.hpp"

namespace billwatch::analysis::detail {

LeadIn read_lead_in(std::string_view sentence) {
  LeadIn lead;
  lead.policy = lists_what_a_policy_covers(sentence, sentence);
  // "No employee is prohibited from:" introduces permissions, not a definition.
  bool operative = has_any(sentence, {"prohibit", "shall", "must", "may "});
  lead.definition =
      is_definition(sentence) && !operative && !defines_prohibited_practices(sentence);
  lead.contents = lists_contents(sentence);
  lead.duty = is_duty_lead(sentence);
  return lead;
}

// Whether the dot at `dot` ends an abbreviation ("R.I. Gen. Laws", "U.S.C. 1400", "Sec. 3",
// "Stat. Ann."), not a sentence.
bool is_abbreviation(std::string_view s, std::size_t dot) {
  std::size_t word = s.find_last_of(" \n(", dot == 0 ? 0 : dot - 1);
  std::string_view last = s.substr(word == std::string_view::npos ? 0 : word + 1,
                                   dot - (word == std::string_view::npos ? 0 : word + 1));
  if (last.size() <= 1 || last.find('.') != std::string_view::npos) return true;
  for (std::string_view abbreviation : {"gen", "stat", "rev", "ann", "sec", "art", "ch", "no",
                                        "seq", "cf", "admin", "reg", "regs", "code", "subd"}) {
    if (last == abbreviation) return true;
  }
  return false;
}

// How deep a piece is: its parenthesised subdivisions, and the dots of a numbered heading
// ("Sec. 8.1.2" is inside "Sec. 8.1"; "Sec. 28A.155.210" names a section, not a depth).
std::size_t depth_of(const std::string& path) {
  if (path == "(preamble)") return 0;
  std::size_t depth = static_cast<std::size_t>(std::count(path.begin(), path.end(), '('));
  std::string number = path.rfind("Sec. ", 0) == 0 ? path.substr(5, path.find('(') - 5) : "";
  if (!number.empty() && number.find_first_not_of("0123456789.") == std::string::npos) {
    depth += static_cast<std::size_t>(std::count(number.begin(), number.end(), '.'));
  }
  return depth;
}

std::vector<Clause> clauses_of(std::string_view text, const std::string& lowered) {
  std::vector<Clause> clauses;
  std::vector<TextSection> sections = split_sections(text, lowered);
  // Whether each top-level section (the path before its first parenthesis) names R/S:
  // "these interventions" in a sentence inherits the section's subject.
  struct TopSection {
    bool rs = false;
    bool findings = false;
    std::size_t asked = 0;
  };
  std::map<std::string, TopSection> tops;
  std::vector<TopSection*> top_of_piece;  // per piece, its top-level section
  for (const auto& section : sections) {
    TopSection& top =
        tops[section.path == "(preamble)" ? std::string()
                                          : section.path.substr(0, section.path.find('('))];
    top_of_piece.push_back(&top);
    // A findings or purpose section says so at its start: its first pieces are asked.
    bool ask_findings = !top.findings && top.asked < 3;
    if (top.rs && !ask_findings) continue;
    std::string_view piece =
        std::string_view(lowered).substr(section.start, section.end - section.start);
    std::string_view start = piece.substr(0, 300);
    BigramIndex piece_index(start);  // most pieces are shorter; the rest are asked of their start
    top.rs = top.rs || has_rs_term(piece.size() <= 300 ? start : piece);
    if (ask_findings) {
      ++top.asked;
      top.findings =
          has_any(start, {"finds and declares", "legislature finds", "findings and purpose",
                          "purposes of this act", "purpose of this act",
                          "intent of the legislature", "legislative findings"});
    }
  }
  // Open list lead-ins ("... shall not use any restraint technique that:"), each with the
  // depth of its first item: later pieces at that depth or deeper are its items.
  struct OpenLeadIn {
    std::size_t depth = 0;  // of its first item
    std::string text;
    LeadIn facts;
  };
  std::vector<OpenLeadIn> lead_ins;
  bool pending = false;  // the previous piece ended with ':' or a dash
  for (std::size_t piece_number = 0; piece_number < sections.size(); ++piece_number) {
    const TextSection& section = sections[piece_number];
    const TopSection& top = *top_of_piece[piece_number];
    std::string_view own =
        std::string_view(lowered).substr(section.start, section.end - section.start);
    std::size_t depth = depth_of(section.path);
    if (pending) {
      lead_ins.back().depth = depth;
      pending = false;
    }
    while (!lead_ins.empty() && depth < lead_ins.back().depth) lead_ins.pop_back();
    std::string lead;
    LeadIn facts;
    // The innermost lead-ins only, each cut short: a hostile text of thousands of nested
    // "...:" lines must not make every clause carry all of them (quadratic time).
    constexpr std::size_t k_max_leads = 3;
    constexpr std::size_t k_max_lead = 600;
    std::size_t first_lead = lead_ins.size() > k_max_leads ? lead_ins.size() - k_max_leads : 0;
    for (std::size_t l = first_lead; l < lead_ins.size(); ++l) {
      lead += lead_ins[l].text.substr(0, k_max_lead) + " ";
      facts = lead_ins[l].facts;  // the innermost decides ...
    }
    for (std::size_t l = first_lead; l < lead_ins.size(); ++l) {
      facts.policy = facts.policy || lead_ins[l].facts.policy;  // ... but a policy list encloses
    }
    std::size_t last = own.find_last_not_of(" \n");
    if (last != std::string_view::npos &&
        (own[last] == ':' || (last >= 2 && own.substr(last - 2, 3) == "\xE2\x80\x94"))) {
      // The sentence that opens the list is its lead-in, not the whole paragraph before it
      // ("Corporal punishment ... is prohibited. ... No employee is prohibited from:").
      std::size_t opens = own.rfind(". ");
      while (opens != std::string_view::npos && is_abbreviation(own, opens)) {
        opens = opens == 0 ? std::string_view::npos : own.rfind(". ", opens - 1);
      }
      std::string sentence(opens == std::string_view::npos ? own : own.substr(opens + 2));
      LeadIn read = read_lead_in(sentence);
      lead_ins.push_back({0, std::move(sentence), read});
      pending = true;
    }
    // Sentences within the piece.
    // The enumerator itself ("a. ", "iii. ") does not end a sentence.
    std::size_t from = 0;
    std::size_t token = 0;
    while (token < own.size() && token < 5 && std::isalnum(static_cast<unsigned char>(own[token])))
      ++token;
    std::size_t search_from = token > 0 && token < own.size() && own[token] == '.' ? token + 1 : 0;
    while (from < own.size()) {
      std::size_t end = own.size();
      for (std::size_t i = std::max(from + 1, search_from); i + 2 < own.size(); ++i) {
        // A sentence ends at a dot or semicolon, then spaces or line breaks, then a capital
        // or a parenthesis ("... this policy.\n\nUse of Seclusion").
        if (own[i] != '.' && own[i] != ';') continue;
        std::size_t next = i + 1;
        while (next < own.size() && (own[next] == ' ' || own[next] == '\n')) ++next;
        if (next > i + 1 && next < own.size() &&
            (std::isupper(static_cast<unsigned char>(text[section.start + next])) ||
             own[next] == '(')) {
          // Not after an abbreviation such as "U.S.C." or "Sec.".
          std::size_t word = own.rfind(' ', i);
          std::string_view last_word =
              own.substr(word == std::string_view::npos ? 0 : word + 1,
                         i - (word == std::string_view::npos ? 0 : word + 1));
          if (last_word.find('.') != std::string_view::npos || last_word == "sec" ||
              last_word == "no" || last_word == "seq" || last_word.size() <= 1) {
            continue;
          }
          end = i + 1;
          break;
        }
      }
      Clause clause;
      clause.start = section.start + from;
      clause.end = section.start + end;
      clause.section = section.path;
      clause.lowered = std::string(own.substr(from, end - from));
      if (!lead.empty()) clause.context = lead + clause.lowered;
      clause.lead_size = lead.size();
      clause.lead = facts;
      clause.section_findings = top.findings;
      clause.section_rs = top.rs;
      clauses.push_back(std::move(clause));
      from = end;
      while (from < own.size() && (own[from] == ' ' || own[from] == '\n')) ++from;
    }
  }
  return clauses;
}

}  // namespace billwatch::analysis::detail
