// The search language people use, translated to FTS5. Every term is written as an FTS5
// string ("..."), so no character a person types can be read as FTS5 syntax; only the
// operators this file itself writes can.
#include "billwatch/store/search_query.hpp"

#include <vector>

#include "billwatch/store/store.hpp"

namespace billwatch::store {

namespace {

struct Token {
  enum class Kind { Term, And, Or, Not, Open, Close };
  Kind kind = Kind::Term;
  std::string text;  // Term: the words as typed (without quotes or the prefix star)
  bool prefix = false;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Does the term contain anything the FTS5 tokenizer keeps (letters, digits, non-ASCII)?
bool has_word(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80) {
      return true;
    }
  }
  return false;
}

std::vector<Token> tokenize(std::string_view query) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < query.size()) {
    char c = query[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? Token::Kind::Open : Token::Kind::Close, "", false});
      ++i;
    } else if (c == '"') {
      std::size_t end = query.find('"', i + 1);
      if (end == std::string_view::npos) end = query.size();  // an unclosed quote: to the end
      Token t{Token::Kind::Term, std::string(query.substr(i + 1, end - i - 1)), false};
      i = end + 1;
      if (i < query.size() && query[i] == '*') {
        t.prefix = true;
        ++i;
      }
      tokens.push_back(std::move(t));
    } else {
      std::size_t end = i;
      while (end < query.size() && !is_space(query[end]) && query[end] != '"' &&
             query[end] != '(' && query[end] != ')') {
        ++end;
      }
      std::string word(query.substr(i, end - i));
      i = end;
      Token t{Token::Kind::Term, word, false};
      if (word == "AND") t.kind = Token::Kind::And;
      if (word == "OR") t.kind = Token::Kind::Or;
      if (word == "NOT") t.kind = Token::Kind::Not;
      if (t.kind == Token::Kind::Term) {
        while (!t.text.empty() && t.text.back() == '*') {
          t.text.pop_back();
          t.prefix = true;
        }
      }
      tokens.push_back(std::move(t));
    }
  }
  return tokens;
}

bool is_operator(const Token& t) {
  return t.kind == Token::Kind::And || t.kind == Token::Kind::Or || t.kind == Token::Kind::Not;
}

std::string quoted(const Token& t) {
  std::string out = "\"";
  for (char c : t.text) {
    if (c == '"') out += '"';  // FTS5 escapes a quote inside a string by doubling it
    out += c;
  }
  out += '"';
  if (t.prefix) out += '*';
  return out;
}

}  // namespace

std::string to_fts_query(std::string_view query) {
  if (query.size() > k_max_query_bytes) {
    throw QueryError("search: the query is longer than " + std::to_string(k_max_query_bytes) +
                     " bytes");
  }
  std::vector<Token> tokens = tokenize(query);
  // Terms without a word (a lone "-" or "*") match nothing useful: drop them.
  std::erase_if(tokens,
                [](const Token& t) { return t.kind == Token::Kind::Term && !has_word(t.text); });
  // Parentheses count only when they balance and enclose something.
  int depth = 0;
  bool balanced = true;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k].kind == Token::Kind::Open) {
      ++depth;
      if (k + 1 < tokens.size() && tokens[k + 1].kind == Token::Kind::Close) balanced = false;
    }
    if (tokens[k].kind == Token::Kind::Close && --depth < 0) balanced = false;
  }
  if (!balanced || depth != 0) {
    std::erase_if(tokens, [](const Token& t) {
      return t.kind == Token::Kind::Open || t.kind == Token::Kind::Close;
    });
  }
  // "a AND NOT b" is how people write FTS5's "a NOT b".
  for (std::size_t k = 0; k + 1 < tokens.size(); ++k) {
    if (tokens[k].kind == Token::Kind::And && tokens[k + 1].kind == Token::Kind::Not) {
      tokens.erase(tokens.begin() + static_cast<long>(k));
    }
  }
  // An operator is one only between two operands; elsewhere it is a word.
  auto ends_operand = [](const Token& t) {
    return t.kind == Token::Kind::Term || t.kind == Token::Kind::Close;
  };
  auto starts_operand = [](const Token& t) {
    return t.kind == Token::Kind::Term || t.kind == Token::Kind::Open;
  };
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (!is_operator(tokens[k])) continue;
    bool between = k > 0 && ends_operand(tokens[k - 1]) && k + 1 < tokens.size() &&
                   starts_operand(tokens[k + 1]);
    if (!between) tokens[k].kind = Token::Kind::Term;
  }
  // Adjacent operands are joined by an explicit AND, which FTS5 accepts around groups too.
  for (std::size_t k = 1; k < tokens.size(); ++k) {
    if (ends_operand(tokens[k - 1]) && starts_operand(tokens[k])) {
      tokens.insert(tokens.begin() + static_cast<long>(k), Token{Token::Kind::And, "", false});
    }
  }
  std::string out;
  std::size_t terms = 0;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    switch (t.kind) {
      case Token::Kind::Term:
        ++terms;
        out += (out.empty() || out.back() == '(' ? "" : " ") + quoted(t);
        break;
      case Token::Kind::And:
        out += " AND";
        break;
      case Token::Kind::Or:
        out += " OR";
        break;
      case Token::Kind::Not:
        out += " NOT";
        break;
      case Token::Kind::Open:
        out += out.empty() ? "(" : " (";
        break;
      case Token::Kind::Close:
        out += ")";
        break;
    }
  }
  if (terms == 0) throw QueryError("search: the query has no word to search for");
  if (terms > k_max_query_terms) {
    throw QueryError("search: the query has more than " + std::to_string(k_max_query_terms) +
                     " terms");
  }
  return out;
}

}  // namespace billwatch::store
